using System.Text.Json;
using Newsletter.Core.Security;

namespace Newsletter.Core.Subscribers;

public enum SubscribeOutcome { Accepted, Invalid }

public enum ConfirmOutcome { Confirmed, AlreadyConfirmed, Invalid, Expired, NoLongerValid }

public enum UnsubscribeOutcome { Unsubscribed, AlreadyUnsubscribed, Invalid }

/// <summary>Double opt-in and one-click leave: the rules of consent, independent of HTTP.</summary>
public sealed class SubscriptionService(
    SubscriberStore store, SubscriberTokens tokens, ConfirmationSignal confirmations, UnsubscribeWatch unsubscribes)
{
    public const int MaxTopics = 20;
    public const int MaxTopicLength = 64;

    /// <summary>
    /// Every valid address gets the same answer whether it is new or known, so nobody can learn
    /// who is subscribed. A confirmation mail goes out for new and still-unconfirmed addresses.
    /// </summary>
    public async Task<(SubscribeOutcome Outcome, string Error)> SubscribeAsync(
        string? email, IReadOnlyList<string>? topics, ConsentEvidence evidence, CancellationToken ct = default)
    {
        var address = EmailAddress.Normalize(email, out var error);
        if (address is null) return (SubscribeOutcome.Invalid, error);
        if (topics is { Count: > MaxTopics } || topics?.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > MaxTopicLength) == true)
            return (SubscribeOutcome.Invalid, $"Topics must be at most {MaxTopics} non-empty names of at most {MaxTopicLength} characters.");

        var topicsJson = topics is null ? null : JsonSerializer.Serialize(topics.Select(t => t.Trim()).Distinct());
        var previous = await store.RecordSubscribeAsync(address, topicsJson, evidence, ct);
        if (previous != SubscriberStatus.Active) confirmations.Notify();
        return (SubscribeOutcome.Accepted, "");
    }

    public async Task<ConfirmOutcome> ConfirmAsync(string? token, ConsentEvidence evidence, CancellationToken ct = default)
    {
        switch (tokens.TryRead(token, TokenPurpose.Confirm, out var claims))
        {
            case TokenError.Expired: return ConfirmOutcome.Expired;
            case not TokenError.None: return ConfirmOutcome.Invalid;
        }

        var subscriber = await store.FindAsync(claims.SubscriberId, ct);
        if (subscriber is null) return ConfirmOutcome.Invalid;
        if (await store.ActivateAsync(subscriber.Id, claims.ConsentVersion, evidence, ct)) return ConfirmOutcome.Confirmed;

        // Following the link again is fine; a link from before an unsubscribe must not bring the address back.
        var current = await store.FindAsync(subscriber.Id, ct);
        return current?.Status == SubscriberStatus.Active ? ConfirmOutcome.AlreadyConfirmed : ConfirmOutcome.NoLongerValid;
    }

    public async Task<UnsubscribeOutcome> UnsubscribeAsync(string? token, ConsentEvidence evidence, CancellationToken ct = default)
    {
        if (tokens.TryRead(token, TokenPurpose.Unsubscribe, out var claims) != TokenError.None)
            return UnsubscribeOutcome.Invalid;
        var subscriber = await store.FindAsync(claims.SubscriberId, ct);
        if (subscriber is null) return UnsubscribeOutcome.Invalid;
        var changed = await store.UnsubscribeAsync(subscriber.Id, evidence, ct);
        unsubscribes.Left(subscriber.Id);
        return changed ? UnsubscribeOutcome.Unsubscribed : UnsubscribeOutcome.AlreadyUnsubscribed;
    }

    /// <summary>Checks an unsubscribe token without acting on it (the page behind the link).</summary>
    public async Task<Subscriber?> FindByUnsubscribeTokenAsync(string? token, CancellationToken ct = default) =>
        tokens.TryRead(token, TokenPurpose.Unsubscribe, out var claims) == TokenError.None
            ? await store.FindAsync(claims.SubscriberId, ct)
            : null;
}
