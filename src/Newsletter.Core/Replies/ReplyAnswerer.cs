using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using MimeKit;
using MimeKit.Utils;
using Newsletter.Core.Delivery;
using Newsletter.Core.Email;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Replies;

/// <summary>
/// The one short answer to a reply: what changed and what was not understood, to the reader's stored
/// address (never to a From that differs), marked as an automatic answer so that their own robots
/// stay quiet. Its failure is logged and changes nothing: the commands are applied already.
/// </summary>
public sealed partial class ReplyAnswerer(
    IMailTransport transport, MessageSigner signer, MailComposer composer, ReturnPaths returnPaths, ILogger<ReplyAnswerer> logger)
{
    private const int LongestSubject = 120;

    private const int MostEchoed = 5;

    public async Task<bool> SendAsync(Subscriber reader, long digestId, MimeMessage reply, ReplyEffects effects, CancellationToken ct)
    {
        try
        {
            var answer = Compose(reader, reply, effects);
            signer.Sign(answer);
            await using var connection = await transport.ConnectAsync(ct);
            await connection.SendAsync(new OutgoingMail(answer, returnPaths.For(reader.Id, digestId)), ct);
            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Could not send the answer to subscriber {Id}'s reply; the changes stay applied: {Reason}", reader.Id, e.Message);
            return false;
        }
    }

    private MimeMessage Compose(Subscriber reader, MimeMessage reply, ReplyEffects effects)
    {
        var message = new MimeMessage { Subject = SubjectFor(reply.Subject), Date = DateTimeOffset.UtcNow };
        message.From.Add(composer.From);
        message.To.Add(new MailboxAddress("", reader.Email));
        message.MessageId = MimeUtils.GenerateMessageId(composer.From.Domain);
        if (MessageIdOf(reply) is { } repliedTo)
        {
            message.InReplyTo = repliedTo;
            message.References.Add(repliedTo);
        }
        message.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        message.Body = new TextPart("plain") { Text = Text(effects) };
        return message;
    }

    private string Text(ReplyEffects effects)
    {
        var text = new StringBuilder();
        text.Append("Hello,\n\nthank you for your reply.\n");
        if (effects.Changes.Count > 0)
        {
            text.Append("\nWhat changed:\n");
            foreach (var change in effects.Changes.Take(MostEchoed * 2)) text.Append("- ").Append(Link().Replace(change, "[link]")).Append('\n');
            if (effects.Changes.Count > MostEchoed * 2) text.Append("- and ").Append(effects.Changes.Count - MostEchoed * 2).Append(" more changes\n");
        }
        else text.Append("\nNothing was changed.\n");
        if (effects.NotUnderstood.Count > 0)
        {
            text.Append("\nNot understood:\n");
            // The reader's own words come back under our name and signature: a few, and no links, so a
            // forged reply cannot make the answer carry someone else's message.
            foreach (var line in effects.NotUnderstood.Take(MostEchoed)) text.Append("- ").Append(Link().Replace(line, "[link]")).Append('\n');
            if (effects.NotUnderstood.Count > MostEchoed) text.Append("- and ").Append(effects.NotUnderstood.Count - MostEchoed).Append(" more lines\n");
            text.Append("\nOne command per line: more: PHRASE, less: PHRASE, daily, weekly, papers: N (1-30), +N or -N (vote on paper #N), stop.\n");
        }
        text.Append("\n-- \n").Append(composer.Sender.Name).Append('\n');
        return text.ToString();
    }

    /// <summary>"Re: " and the reply's subject, on one line and shortened: a subject is outside text.</summary>
    public static string SubjectFor(string? subject)
    {
        var clean = ReplyApplier.Shown(subject ?? "", int.MaxValue);
        while (clean.StartsWith("Re:", StringComparison.OrdinalIgnoreCase)) clean = clean[3..].TrimStart();
        if (clean.Length > LongestSubject) clean = clean[..LongestSubject] + "…";
        return "Re: " + clean;
    }

    /// <summary>The reply's Message-ID when it is one (no spaces or controls, of sane length), for threading.</summary>
    private static string? MessageIdOf(MimeMessage reply) =>
        reply.MessageId is { Length: > 2 and <= 250 } id && id.All(c => c > ' ' && c < 127 && c is not ('<' or '>')) && id.Contains('@') ? id : null;

    // Anything a mail program would make a link of: a scheme, www., an address, a dotted host name.
    // The lines are short (ReplyApplier.Shown), and the engine does not backtrack.
    [GeneratedRegex(@"\S*(?:[a-z][a-z0-9+.-]*://|www\.|@|[a-z0-9-]\.[a-z]{2,}\b)\S*", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Link();
}
