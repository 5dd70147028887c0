using Newsletter.Core.Data;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Digests;

/// <summary>One ledger row's lifecycle: pending until sent, failed or skipped.</summary>
public enum DeliveryStatus { Pending, Sent, Failed, Skipped }

/// <summary>
/// A ledger row due for sending, with the subscriber's state and choices as they are now. The
/// run adds what it knows of the reader's votes and past mail; composing the mail records which
/// papers it holds (<see cref="Papers"/>: pool positions, "1,4,9").
/// </summary>
public sealed class DueDelivery
{
    public long SubscriberId { get; init; }

    /// <summary>How often the reader's server has deferred this digest already (greylisting).</summary>
    public int Deferrals { get; init; }

    public string Email { get; init; } = "";
    public SubscriberStatus Status { get; init; }
    public long ConsentVersion { get; init; }
    public string? Topics { get; init; }
    public string? MutedTopics { get; init; }
    public bool RequireCode { get; init; }
    public int? MaxPapers { get; init; }
    public IReadOnlyList<Ranking.Vote> Votes { get; set; } = [];
    public IReadOnlyList<int> AlreadySent { get; set; } = [];
    public string? Papers { get; set; }
}

/// <summary>What happened to one ledger row. <paramref name="Permanent"/>: the recipient's server refused for good.</summary>
public sealed record DeliveryResult(
    long SubscriberId, DeliveryStatus Status, int Attempts, string? Error, bool Permanent, string? Papers = null, DateTimeOffset? DueAt = null)
{
    /// <summary>Deferred by the reader's server: still pending, tried again at <paramref name="dueAt"/>.</summary>
    public static DeliveryResult Deferred(long subscriberId, int attempts, string? error, DateTimeOffset dueAt) =>
        new(subscriberId, DeliveryStatus.Pending, attempts, error, false, null, dueAt);

    public static DeliveryResult Skipped(long subscriberId, SubscriberStatus status) =>
        new(subscriberId, DeliveryStatus.Skipped, 0, $"subscriber is {status.ToStored()}", false);

    public static DeliveryResult NothingMatched(long subscriberId) =>
        new(subscriberId, DeliveryStatus.Skipped, 0, NothingMatchedReason, false);

    public const string NothingMatchedReason = "nothing on the lists matched the reader's preferences";
}
