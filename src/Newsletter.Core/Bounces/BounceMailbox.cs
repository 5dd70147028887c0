using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Core.Data;
using Newsletter.Core.Options;

namespace Newsletter.Core.Bounces;

/// <summary>What one read of the mailbox did.</summary>
public sealed record MailboxReading(int Handled, int Failed, int TooLarge, int Left);

/// <summary>
/// Reads the returned mail that arrives in the IMAP mailbox (Bounces:Imap): each message not yet
/// handled goes to the <see cref="IReturnedMailHandler"/> and is then marked, so it is never
/// handled again. A crash between the two hands it over once more, which the handler counts once.
/// A reply to a digest (addressed to a reply address) goes to <see cref="IMailboxReplies"/> instead;
/// a mailbox of its own for replies (Replies:Imap) is read the same way.
/// </summary>
public sealed class BounceMailbox(
    IOptions<BounceOptions> options, IReturnedMailHandler handler, SettingsStore settings, ILogger<BounceMailbox> logger, IMailboxReplies? replies = null)
{
    /// <summary>Work per run is bounded; the rest waits for the next run.</summary>
    public const int MaxMessagesPerRun = 500;

    /// <summary>A bigger message is not returned mail: it is skipped with a warning and marked.</summary>
    public const long MaxMessageBytes = ReturnedMailParser.MaxBytes;

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    // The scheduled job and any other caller never read the same folder at once.
    private readonly SemaphoreSlim _oneReader = new(1, 1);

    /// <exception cref="MailboxUnavailableException">The server could not be reached, refused the login, or has no such folder.</exception>
    public Task<MailboxReading> ReadAsync(CancellationToken ct) => ReadAsync(options.Value.Imap, ct);

    /// <summary>Reads <paramref name="imap"/> (the bounce mailbox, or the replies' own).</summary>
    /// <exception cref="MailboxUnavailableException">The server could not be reached, refused the login, or has no such folder.</exception>
    public async Task<MailboxReading> ReadAsync(BounceImapOptions imap, CancellationToken ct)
    {
        var host = imap.Host ?? throw new InvalidOperationException("Imap:Host is not set: there is no mailbox to read.");
        await _oneReader.WaitAsync(ct);
        try
        {
            using var client = new ImapClient { Timeout = (int)CommandTimeout.TotalMilliseconds };
            try
            {
                await client.ConnectAsync(host, imap.Port, imap.Security.ToMailKit(), ct);
                if (!string.IsNullOrEmpty(imap.Username)) await client.AuthenticateAsync(imap.Username, imap.Password ?? "", ct);
                var folder = string.Equals(imap.Folder, "INBOX", StringComparison.OrdinalIgnoreCase)
                    ? client.Inbox
                    : await client.GetFolderAsync(imap.Folder, ct);
                await folder.OpenAsync(FolderAccess.ReadWrite, ct);
                var marks = await HandledMarks.ForAsync(folder, settings, $"{host}:{imap.Port}/{imap.Username}/{imap.Folder}", ct);
                var reading = await ReadFolderAsync(folder, marks, ct);
                await LogOutAsync(client);
                return reading;
            }
            catch (Exception e) when (IsMailboxFailure(e))
            {
                throw new MailboxUnavailableException($"{host}:{imap.Port}: {e.Message}", e);
            }
        }
        finally
        {
            _oneReader.Release();
        }
    }

    private async Task<MailboxReading> ReadFolderAsync(IMailFolder folder, HandledMarks marks, CancellationToken ct)
    {
        var unhandled = (await marks.FindUnhandledAsync(folder, ct)).OrderBy(u => u.Id).ToList();
        if (unhandled.Count == 0) return new MailboxReading(0, 0, 0, 0);
        var batch = unhandled.Take(MaxMessagesPerRun).ToList();
        int handled = 0, failed = 0, tooLarge = 0;
        var summaries = await folder.FetchAsync(batch, MessageSummaryItems.UniqueId | MessageSummaryItems.Size, ct);
        foreach (var summary in summaries.OrderBy(s => s.UniqueId.Id))
        {
            var uid = summary.UniqueId;
            if (summary.Size > MaxMessageBytes)
            {
                logger.LogWarning("Skipped the message with UID {Uid} in the bounce mailbox: {Size} bytes is too large for returned mail", uid.Id, summary.Size);
                await marks.MarkAsync(folder, uid, ct);
                tooLarge++;
                continue;
            }
            if (await HandleAsync(folder, uid, ct))
            {
                await marks.MarkAsync(folder, uid, ct);
                handled++;
            }
            else
            {
                marks.Failed(uid);
                failed++;
            }
        }
        var left = unhandled.Count - batch.Count;
        logger.LogInformation("Read the bounce mailbox: {Handled} returned mails handled, {Failed} failed, {TooLarge} too large, {Left} left for the next run",
            handled, failed, tooLarge, left);
        return new MailboxReading(handled, failed, tooLarge, left);
    }

    /// <summary>False when the handler failed: the message stays unmarked and is tried again next run.</summary>
    private async Task<bool> HandleAsync(IMailFolder folder, UniqueId uid, CancellationToken ct)
    {
        MimeKit.MimeMessage? message;
        try
        {
            // Raw, and checked before parsing: see ReturnedMailParser.
            using var raw = new MemoryStream();
            await using (var stream = await folder.GetStreamAsync(uid, ct)) await stream.CopyToAsync(raw, ct);
            message = ReturnedMailParser.Parse(raw.GetBuffer(), (int)raw.Length, out var problem);
            if (message is null)
            {
                logger.LogWarning("Skipped the message with UID {Uid} in the bounce mailbox: {Problem}", uid.Id, problem);
                return true; // marked: it is not returned mail, and reading it again would change nothing
            }
        }
        catch (MessageNotFoundException)
        {
            return false; // deleted by someone else since the search
        }
        try
        {
            if (replies is null || !await replies.TryHandleAsync(message, ct)) await handler.HandleAsync(message, ct);
            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // One line, never the body: returned mail carries readers' addresses and our message.
            logger.LogWarning("Could not handle the returned mail with UID {Uid} in the bounce mailbox; it stays unmarked for the next run: {Reason}", uid.Id, e.Message);
            return false;
        }
    }

    /// <summary>The work is done and marked; a server that fails to say goodbye changes nothing.</summary>
    private static async Task LogOutAsync(ImapClient client)
    {
        try
        {
            await client.DisconnectAsync(true);
        }
        catch (Exception e) when (IsMailboxFailure(e))
        {
        }
    }

    private static bool IsMailboxFailure(Exception e) => e is IOException or SocketException or TimeoutException
        or ProtocolException or CommandException or AuthenticationException or SslHandshakeException
        or FolderNotFoundException or FolderNotOpenException or ServiceNotConnectedException or ServiceNotAuthenticatedException;
}
