using Newsletter.Core.Security;
using Newsletter.Core.Telemetry;

namespace Newsletter.Core.Subscribers;

public enum SubscribeOutcome { Accepted, Invalid }

public enum ConfirmOutcome { Confirmed, AlreadyConfirmed, Invalid, Expired, NoLongerValid }

/// <summary>How a confirmation went; once confirmed, the token of the reader's own preferences link.</summary>
public readonly record struct ConfirmResult(ConfirmOutcome Outcome, string? PreferencesToken = null);

public enum UnsubscribeOutcome { Unsubscribed, AlreadyUnsubscribed, Invalid }

/// <summary>Double opt-in and one-click leave: the rules of consent, independent of HTTP.</summary>
public sealed class SubscriptionService(
    SubscriberStore store, SubscriberTokens tokens, ConfirmationSignal confirmations, UnsubscribeWatch unsubscribes, NewsletterMetrics metrics)
{
    /// <summary>
    /// Every valid address gets the same answer whether it is new or known, so nobody can learn
    /// who is subscribed. A confirmation mail goes out for new and still-unconfirmed addresses.
    /// <paramref name="preferences"/> are checked already (<see cref="PreferenceEdit"/>).
    /// </summary>
    public async Task<(SubscribeOutcome Outcome, string Error)> SubscribeAsync(
        string? email, PreferenceChanges? preferences, ConsentEvidence evidence, CancellationToken ct = default)
    {
        var address = EmailAddress.Normalize(email, out var error);
        if (address is null) return (SubscribeOutcome.Invalid, error);

        var previous = await store.RecordSubscribeAsync(address, preferences ?? PreferenceChanges.None, evidence, ct);
        if (previous != SubscriberStatus.Active) confirmations.Notify();
        return (SubscribeOutcome.Accepted, "");
    }

    public async Task<ConfirmResult> ConfirmAsync(string? token, ConsentEvidence evidence, CancellationToken ct = default)
    {
        switch (tokens.TryRead(token, TokenPurpose.Confirm, out var claims))
        {
            case TokenError.Expired: return new(ConfirmOutcome.Expired);
            case not TokenError.None: return new(ConfirmOutcome.Invalid);
        }

        var subscriber = await store.FindAsync(claims.SubscriberId, ct);
        if (subscriber is null) return new(ConfirmOutcome.Invalid);
        var preferencesToken = tokens.CreatePreferences(subscriber.Id, claims.ConsentVersion);
        if (await store.ActivateAsync(subscriber.Id, claims.ConsentVersion, evidence, ct))
        {
            metrics.Subscribed();
            return new(ConfirmOutcome.Confirmed, preferencesToken);
        }

        // Following the link again is fine; a link from before an unsubscribe must not bring the address back.
        var current = await store.FindAsync(subscriber.Id, ct);
        if (current?.Status != SubscriberStatus.Active) return new(ConfirmOutcome.NoLongerValid);
        // Confirmed since through a newer subscription's link: this one's preferences link would be void.
        return new(ConfirmOutcome.AlreadyConfirmed, current.ConsentVersion == claims.ConsentVersion ? preferencesToken : null);
    }

    public async Task<UnsubscribeOutcome> UnsubscribeAsync(string? token, ConsentEvidence evidence, CancellationToken ct = default)
    {
        if (tokens.TryRead(token, TokenPurpose.Unsubscribe, out var claims) != TokenError.None)
            return UnsubscribeOutcome.Invalid;
        var subscriber = await store.FindAsync(claims.SubscriberId, ct);
        if (subscriber is null) return UnsubscribeOutcome.Invalid;
        var changed = await store.UnsubscribeAsync(subscriber.Id, evidence, ct);
        unsubscribes.Left(subscriber.Id);
        if (changed) metrics.Unsubscribed();
        return changed ? UnsubscribeOutcome.Unsubscribed : UnsubscribeOutcome.AlreadyUnsubscribed;
    }

    /// <summary>A complaint (the reader marked a message as spam) unsubscribes them, as their own link would.</summary>
    public async Task<bool> ComplainedAsync(long subscriberId, CancellationToken ct = default)
    {
        var changed = await store.ComplainAsync(subscriberId, ct);
        unsubscribes.Left(subscriberId);
        if (changed) metrics.Unsubscribed();
        return changed;
    }

    /// <summary>Checks an unsubscribe token without acting on it (the page behind the link).</summary>
    public async Task<Subscriber?> FindByUnsubscribeTokenAsync(string? token, CancellationToken ct = default) =>
        tokens.TryRead(token, TokenPurpose.Unsubscribe, out var claims) == TokenError.None
            ? await store.FindAsync(claims.SubscriberId, ct)
            : null;
}
