using Newsletter.Core.Security;
using Newsletter.Core.Telemetry;

namespace Newsletter.Core.Subscribers;

public enum SubscribeOutcome { Accepted, Invalid }

/// <summary><see cref="ConfirmOutcome.Pending"/>: the link is good and waits for its owner's button.</summary>
public enum ConfirmOutcome { Confirmed, AlreadyConfirmed, Pending, Invalid, Expired, NoLongerValid }

/// <summary>How a confirmation went; once confirmed, the token of the reader's own preferences link.</summary>
public readonly record struct ConfirmResult(ConfirmOutcome Outcome, string? PreferencesToken = null);

/// <summary><see cref="NewerSignUpWaiting"/>: an earlier subscription's link, while the address's new sign-up awaits its Confirm.</summary>
public enum UnsubscribeOutcome { Unsubscribed, AlreadyUnsubscribed, NewerSignUpWaiting, Invalid }

/// <summary>Double opt-in and one-click leave: the rules of consent, independent of HTTP.</summary>
public sealed class SubscriptionService(
    SubscriberStore store, SubscriberTokens tokens, ConfirmationSignal confirmations, UnsubscribeWatch unsubscribes, NewsletterMetrics metrics,
    AddressHashes hashes)
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

    /// <summary>
    /// What following the link would do, changing nothing: the page behind a confirmation link
    /// shows a button, because mail scanners open every link and must not subscribe anyone.
    /// </summary>
    public async Task<ConfirmOutcome> CheckConfirmAsync(string? token, CancellationToken ct = default)
    {
        var (problem, claims, subscriber) = await ReadConfirmTokenAsync(token, ct);
        if (problem is { } outcome) return outcome;
        return subscriber!.Status switch
        {
            SubscriberStatus.Active => ConfirmOutcome.AlreadyConfirmed,
            SubscriberStatus.Pending when subscriber.ConsentVersion == claims.ConsentVersion => ConfirmOutcome.Pending,
            _ => ConfirmOutcome.NoLongerValid,
        };
    }

    public async Task<ConfirmResult> ConfirmAsync(string? token, ConsentEvidence evidence, CancellationToken ct = default)
    {
        var (problem, claims, subscriber) = await ReadConfirmTokenAsync(token, ct);
        if (problem is { } outcome) return new(outcome);

        var preferencesToken = tokens.CreatePreferences(subscriber!.Id, claims.ConsentVersion);
        if (await store.ActivateAsync(subscriber.Id, claims.ConsentVersion, evidence, ct))
        {
            // Someone who had themselves erased consented anew: an import may list them again.
            await store.LiftSuppressionAsync(hashes.Of(subscriber.Email), ct);
            metrics.Subscribed();
            return new(ConfirmOutcome.Confirmed, preferencesToken);
        }

        // Following the link again is fine; a link from before an unsubscribe must not bring the address back.
        var current = await store.FindAsync(subscriber.Id, ct);
        if (current?.Status != SubscriberStatus.Active) return new(ConfirmOutcome.NoLongerValid);
        // Confirmed since through a newer subscription's link: this one's preferences link would be void.
        return new(ConfirmOutcome.AlreadyConfirmed, current.ConsentVersion == claims.ConsentVersion ? preferencesToken : null);
    }

    /// <summary>The checks every use of a confirmation token makes: signature, purpose, expiry, a known subscriber.</summary>
    private async Task<(ConfirmOutcome? Problem, TokenClaims Claims, Subscriber? Subscriber)> ReadConfirmTokenAsync(string? token, CancellationToken ct)
    {
        switch (tokens.TryRead(token, TokenPurpose.Confirm, out var claims))
        {
            case TokenError.Expired: return (ConfirmOutcome.Expired, claims, null);
            case not TokenError.None: return (ConfirmOutcome.Invalid, claims, null);
        }
        var subscriber = await store.FindAsync(claims.SubscriberId, ct);
        return subscriber is null ? (ConfirmOutcome.Invalid, claims, null) : (null, claims, subscriber);
    }

    public async Task<UnsubscribeOutcome> UnsubscribeAsync(string? token, ConsentEvidence evidence, CancellationToken ct = default)
    {
        if (tokens.TryRead(token, TokenPurpose.Unsubscribe, out var claims) != TokenError.None)
            return UnsubscribeOutcome.Invalid;
        var subscriber = await store.FindAsync(claims.SubscriberId, ct);
        if (subscriber is null) return UnsubscribeOutcome.Invalid;
        // Left or bounced already: the store changes nothing, and the answer says so.
        if (subscriber.Status == SubscriberStatus.Pending) return UnsubscribeOutcome.NewerSignUpWaiting;
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

    /// <summary>
    /// Whether the reader behind an unsubscribe link gets no mail to leave. A pending address is
    /// one of them: no mail of a pending subscription carries an unsubscribe link (the confirmation
    /// mail has none), so the link is from an earlier subscription that ended, and the address has
    /// asked to join again since. That request stands until it is confirmed or lapses; an old
    /// digest's link, pressed again or posted by a mail provider's one-click, must not cancel it.
    /// </summary>
    public static bool IsNotReceiving(Subscriber subscriber) =>
        subscriber.Status is SubscriberStatus.Pending or SubscriberStatus.Unsubscribed or SubscriberStatus.Bounced;

    /// <summary>Checks an unsubscribe token without acting on it (the page behind the link).</summary>
    public async Task<Subscriber?> FindByUnsubscribeTokenAsync(string? token, CancellationToken ct = default) =>
        tokens.TryRead(token, TokenPurpose.Unsubscribe, out var claims) == TokenError.None
            ? await store.FindAsync(claims.SubscriberId, ct)
            : null;
}
