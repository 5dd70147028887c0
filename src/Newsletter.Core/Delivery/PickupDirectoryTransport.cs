using MimeKit;

namespace Newsletter.Core.Delivery;

/// <summary>
/// Writes each message as an .eml file. It is written under a temporary name and then renamed, so
/// a reader of the folder never sees half a message.
/// </summary>
public sealed class PickupDirectoryTransport(string directory) : IMailTransport
{
    public Task<IMailConnection> ConnectAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        return Task.FromResult<IMailConnection>(new Connection(directory));
    }

    private sealed class Connection(string directory) : IMailConnection
    {
        public bool IsUsable => true;

        // The return path is not written: a Return-Path header is the receiving server's to add, and
        // nothing may change the headers of a message after it was signed.
        public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
        {
            var message = mail.Message;
            var name = $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid():N}";
            var temporary = Path.Combine(directory, name + ".tmp");
            // What an SMTP client would do before DATA: pick transfer encodings that survive any reader.
            // A DKIM-signed message was prepared before signing and must stay byte for byte as signed.
            if (!message.Headers.Contains(HeaderId.DkimSignature)) message.Prepare(EncodingConstraint.SevenBit);
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 65536, useAsync: true))
            {
                // As on the wire: what an MTA picking the file up expects, and what a DKIM verifier checks.
                await message.WriteToAsync(WireFormat.Options, file, ct);
            }
            File.Move(temporary, Path.Combine(directory, name + ".eml"));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
