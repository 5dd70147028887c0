using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Core.Bounces;
using Newsletter.Core.Delivery;
using Newsletter.Core.Options;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Replies;

public enum ReplyAction { Applied, Ignored }

/// <summary>
/// What a reply did: <see cref="Changes"/> as told to the reader, the lines not understood, why it was
/// ignored (<see cref="Reason"/>), and whether an answer went out.
/// </summary>
public sealed record ReplyOutcome(ReplyAction Action, IReadOnlyList<string> Changes, IReadOnlyList<string> NotUnderstood, string? Reason, bool Answered)
{
    public static ReplyOutcome Ignored(string reason, IReadOnlyList<string>? notUnderstood = null) => new(ReplyAction.Ignored, [], notUnderstood ?? [], reason, false);
}

/// <summary>
/// A reader's reply to a digest. It counts only when it came to a genuine reply address and From is
/// the address that address was made for; then the commands the reader wrote above the quoted digest
/// are applied and answered (at most once per reader in <see cref="AnswerQuietPeriod"/>).
/// </summary>
public sealed class ReplyHandler(
    ReplyAddresses addresses, SubscriberStore subscribers, ReplyStore store, ReplyApplier applier, ReplyAnswerer answerer,
    IOptions<RepliesOptions> options, TimeProvider clock, ILogger<ReplyHandler> logger) : IMailboxReplies
{
    /// <summary>
    /// As for returned mail, and as the mailbox reads: a reply with a photo attached must not be
    /// refused by the pipe (the MTA would bounce it to the reader) while the mailbox reads it.
    /// </summary>
    public const long MaxBytes = ReturnedMailParser.MaxBytes;

    public static readonly TimeSpan AnswerQuietPeriod = TimeSpan.FromMinutes(10);

    // Where servers put the address a message was delivered to; the envelope's is the most reliable.
    private static readonly string[] RecipientHeaders = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To"];

    public async Task<bool> TryHandleAsync(MimeMessage message, CancellationToken ct)
    {
        if (ReplyAddressesOf(message, null).Count == 0) return false;
        var outcome = await HandleAsync(message, null, ct);
        logger.LogInformation("Reply from the mailbox: {Action}{Reason}", outcome.Action, outcome.Reason is null ? "" : " (" + outcome.Reason + ")");
        return true;
    }

    /// <param name="envelopeRecipient">The address the mail was delivered to, when the MTA passes it on.</param>
    public async Task<ReplyOutcome> HandleAsync(MimeMessage message, string? envelopeRecipient, CancellationToken ct)
    {
        // Authenticated, a reply names its reply address where the reader's signature covers it (To,
        // Cc): else a signed mail of theirs to anyone could be delivered to a reply address and act.
        var candidates = ReplyAddressesOf(message, envelopeRecipient, signedOnly: options.Value.RequiresAuthentication);
        if (candidates.Count == 0) return ReplyOutcome.Ignored("not addressed to a reply address (reply+TOKEN@domain)");
        long subscriberId = 0, digestId = 0;
        if (!candidates.Any(a => addresses.TryRead(a, out subscriberId, out digestId))) return ReplyOutcome.Ignored("the reply address's token is not valid");
        var reader = await subscribers.FindAsync(subscriberId, ct);
        if (reader is null) return ReplyOutcome.Ignored("the reply address names no subscriber");
        // The token is in every copy of the digest the reader forwards; only their own address may steer.
        if (message.From.Mailboxes.ToList() is not [var from] || !string.Equals(from.Address?.Trim(), reader.Email, StringComparison.OrdinalIgnoreCase))
            return ReplyOutcome.Ignored("From is not the subscriber's address");
        if (options.Value.RequiresAuthentication && !SenderAuthentication.Vouches(message, options.Value.AuthServId!.Trim(), reader.Email))
            return ReplyOutcome.Ignored($"{options.Value.AuthServId!.Trim()} did not authenticate From (no dmarc=pass or aligned dkim=pass)");

        var request = ReplyCommands.Read(WrittenLines.Of(message));
        if (AutoReplies.Is(message, request.Commands.Count > 0)) return ReplyOutcome.Ignored("an automatic reply");
        // The reply address is in every digest ever sent; only one of the reader's current subscription
        // steers: after they leave and sign up again, an old digest's address must not act (nor cancel
        // the new sign-up with a "stop").
        if (reader.Status is not SubscriberStatus.Active) return ReplyOutcome.Ignored("the subscriber is no longer subscribed");
        if (!await store.SentInCurrentSubscriptionAsync(digestId, reader.Id, ct))
            return ReplyOutcome.Ignored("the digest this reply answers was sent before the reader's current subscription");
        if (request.Commands.Count == 0 && request.NotUnderstood.Count == 0) return ReplyOutcome.Ignored("the reply holds no written lines");

        var replyId = MessageKeys.Of(message);
        ReplyEffects effects;
        // One reply of a reader at a time: each reads the settings and writes them back whole, so two
        // at once would lose one's topics while both answers said they were added.
        await using (await ReaderTurn.TakeAsync(reader.Id, ct))
        {
            if (await store.IsHandledAsync(reader.Id, replyId, ct)) return ReplyOutcome.Ignored("this reply was handled before");
            effects = await applier.ApplyAsync(reader, digestId, request, ct);
            if (effects.ReaderLeft) return ReplyOutcome.Ignored("the subscriber is no longer subscribed");
            await store.RecordHandledAsync(reader.Id, replyId, clock.GetUtcNow(), ct);
        }

        var answered = await store.TryClaimAnswerAsync(reader.Id, clock.GetUtcNow(), AnswerQuietPeriod, ct)
                       && await answerer.SendAsync(reader, digestId, message, effects, ct);
        logger.LogInformation("Reply from subscriber {Id}: {Changes} changes, {NotUnderstood} lines not understood, answered: {Answered}",
            reader.Id, effects.Changes.Count, effects.NotUnderstood.Count, answered);
        return effects.Changes.Count > 0
            ? new ReplyOutcome(ReplyAction.Applied, effects.Changes, effects.NotUnderstood, null, answered)
            : new ReplyOutcome(ReplyAction.Ignored, [], effects.NotUnderstood, "no command was understood", answered);
    }

    /// <summary>The recipients whose local part is a reply address's: the envelope's, then To, Cc and the delivery headers.</summary>
    private static List<string> ReplyAddressesOf(MimeMessage message, string? envelopeRecipient, bool signedOnly = false)
    {
        var candidates = new List<string?>();
        if (!signedOnly) candidates.Add(envelopeRecipient);
        candidates.AddRange(message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address));
        foreach (var name in signedOnly ? [] : RecipientHeaders)
            candidates.AddRange(message.Headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value));
        return candidates.Select(c => c?.Trim().Trim('<', '>').Trim())
            .Where(c => c is not null && c.StartsWith(ReplyAddresses.LocalPrefix, StringComparison.OrdinalIgnoreCase) && c.Contains('@'))
            .Select(c => c!).ToList();
    }

}
