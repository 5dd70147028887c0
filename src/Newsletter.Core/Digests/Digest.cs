namespace Newsletter.Core.Digests;

/// <summary>A digest's lifecycle: queued, sending, then sent or failed (a failed one can be resumed).</summary>
public enum DigestStatus { Queued, Sending, Sent, Failed }

/// <summary>A digest as stored: rendered once when it was made, sent from that rendering.</summary>
public sealed class Digest
{
    public long Id { get; init; }
    public DateOnly Date { get; init; }
    public DigestEdition Edition { get; init; }
    public DigestStatus Status { get; init; }
    public string Subject { get; init; } = "";
    public string HtmlBody { get; init; } = "";
    public string TextBody { get; init; } = "";
    public string ArchiveHtml { get; init; } = "";

    /// <summary>The marker of this digest's rendering: where its bodies hold a reader's own values.</summary>
    public string SlotMarker { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? FailureReason { get; init; }
}

/// <summary>
/// A digest without its renderings, for status reads: an operator's console polls it while a send
/// runs, and reading the ~170 KB bodies each time filled the large object heap.
/// </summary>
public sealed class DigestState
{
    public long Id { get; init; }
    public DateOnly Date { get; init; }
    public DigestEdition Edition { get; init; }
    public DigestStatus Status { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? FailureReason { get; init; }
}

/// <summary>The ledger's counts for one digest.</summary>
public sealed record DeliveryCounts(long Recipients, long Sent, long Failed, long Skipped, long Pending);

public sealed record DigestPaperRow(long Position, string PaperId, string Title, long Upvotes);

/// <summary>
/// Who a digest is for: daily readers, or weekly readers (of one weekday when the schedule makes
/// it, all of them when an operator asks for it).
/// </summary>
public sealed record DigestAudience(DigestEdition Edition, DayOfWeek? Weekday)
{
    public static DigestAudience Daily { get; } = new(DigestEdition.Daily, null);

    public static DigestAudience AllWeekly { get; } = new(DigestEdition.Weekly, null);
}
