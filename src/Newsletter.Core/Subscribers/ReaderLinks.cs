using Newsletter.Core.Security;

namespace Newsletter.Core.Subscribers;

/// <summary>What a reader's own link (preferences or feedback) is worth when it is followed.</summary>
public enum ReaderLinkOutcome
{
    Valid,
    /// <summary>Not a token of ours for this purpose: malformed, forged or altered.</summary>
    Invalid,
    /// <summary>Genuine, but from an earlier subscription of an address that left and came back.</summary>
    Replaced,
    /// <summary>The reader unsubscribed or their address bounced.</summary>
    Left,
    /// <summary>A feedback link on a paper the service does not know.</summary>
    UnknownPaper,
}

/// <summary>
/// The rule both personal links follow: valid while the subscription they were made for is the
/// reader's current one (a new subscription raises the consent version) and the reader is pending
/// or active.
/// </summary>
public sealed class ReaderLinks(SubscriberStore store, SubscriberTokens tokens)
{
    public async Task<(ReaderLinkOutcome Outcome, Subscriber? Reader, TokenClaims Claims)> ResolveAsync(
        string? token, TokenPurpose purpose, CancellationToken ct)
    {
        if (tokens.TryRead(token, purpose, out var claims) != TokenError.None) return (ReaderLinkOutcome.Invalid, null, claims);
        var reader = await store.FindAsync(claims.SubscriberId, ct);
        if (reader is null) return (ReaderLinkOutcome.Invalid, null, claims);
        return (OutcomeFor(reader, claims.ConsentVersion), reader, claims);
    }

    /// <summary>After a write refused for the reader's state: why, read afresh.</summary>
    public async Task<ReaderLinkOutcome> RecheckAsync(long subscriberId, long consentVersion, CancellationToken ct) =>
        await store.FindAsync(subscriberId, ct) is { } reader ? OutcomeFor(reader, consentVersion) : ReaderLinkOutcome.Invalid;

    public string PreferencesToken(Subscriber reader) => tokens.CreatePreferences(reader.Id, reader.ConsentVersion);

    private static ReaderLinkOutcome OutcomeFor(Subscriber reader, long consentVersion) =>
        reader.ConsentVersion != consentVersion ? ReaderLinkOutcome.Replaced
        : reader.Status is SubscriberStatus.Pending or SubscriberStatus.Active ? ReaderLinkOutcome.Valid
        : ReaderLinkOutcome.Left;
}
