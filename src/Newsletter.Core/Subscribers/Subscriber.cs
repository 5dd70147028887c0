namespace Newsletter.Core.Subscribers;

/// <summary>
/// A subscriber's lifecycle; stored as lower-case text (see <see cref="Data.StoredText"/>). Erased: an
/// anonymous tombstone left by an erasure, kept so the send ledger's counts stay right; it is no
/// subscriber any more and no look-up by id, list or search returns it.
/// </summary>
public enum SubscriberStatus { Pending, Active, Unsubscribed, Bounced, Erased }

public sealed class Subscriber
{
    public long Id { get; init; }
    public string Email { get; init; } = "";
    public SubscriberStatus Status { get; init; }
    public long ConsentVersion { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ConfirmedAt { get; init; }
    public DateTimeOffset? UnsubscribedAt { get; init; }
}

/// <summary>
/// Where a change of consent came from; stored as text (one-click as "one-click"). FeedbackLoop: a
/// mailbox provider's complaint report, sent when the reader marked a message as spam. Reply: "stop"
/// in the reader's reply to a digest.
/// </summary>
public enum ConsentSource { Form, Api, Import, Page, OneClick, FeedbackLoop, Reply }

/// <summary>Where a change of consent came from and who made it: kept with the subscriber and in its history.</summary>
public sealed record ConsentEvidence(ConsentSource Source, string? Ip, string? UserAgent);
