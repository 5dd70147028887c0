using Dapper;
using Newsletter.Core.Data;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Digests;

public sealed class ConsentEventRow
{
    public string Event { get; init; } = "";
    public DateTimeOffset At { get; init; }
    public string? Source { get; init; }
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }
}

public sealed class ReceivedDigestRow
{
    public long DigestId { get; init; }
    public DateOnly Date { get; init; }
    public DigestEdition Edition { get; init; }
    public DeliveryStatus Status { get; init; }
    public long Attempts { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? LastError { get; init; }
}

public sealed class BounceRecord
{
    public DateTimeOffset At { get; init; }
    public string? Reason { get; init; }
}

public sealed record SubscriberRecord(
    Subscriber Subscriber, IReadOnlyList<ConsentEventRow> Events, IReadOnlyList<ReceivedDigestRow> Digests, BounceRecord? Bounce);

/// <summary>One subscriber's story for the console: consent changes, digests meant for them, a bounce.</summary>
public sealed class SubscriberHistory(Db db, SubscriberStore subscribers)
{
    /// <summary>The newest entries only: a reader of years has a thousand digests.</summary>
    public const int Shown = 100;

    static SubscriberHistory()
    {
        StoredText.Register<DeliveryStatus>();
        StoredText.Register<DigestEdition>();
    }

    private const string Events = """
        SELECT event, at, source, ip, user_agent FROM consent_events
        WHERE subscriber_id = @id ORDER BY id DESC LIMIT @shown
        """;

    private const string Received = """
        SELECT l.digest_id, d.date, d.edition, l.status, l.attempts, l.finished_at, l.last_error
        FROM deliveries l JOIN digests d ON d.id = l.digest_id
        WHERE l.subscriber_id = @id ORDER BY l.digest_id DESC LIMIT @shown
        """;

    private const string Bounced = "SELECT bounced_at AS at, bounce_reason AS reason FROM subscribers WHERE id = @id AND bounced_at IS NOT NULL";

    public async Task<SubscriberRecord?> OfAsync(long id, CancellationToken ct)
    {
        var subscriber = await subscribers.FindAsync(id, ct);
        if (subscriber is null) return null;
        await using var connection = await db.OpenAsync(ct);
        var events = await connection.QueryAsync<ConsentEventRow>(new CommandDefinition(Events, new { id, shown = Shown }, cancellationToken: ct));
        var digests = await connection.QueryAsync<ReceivedDigestRow>(new CommandDefinition(Received, new { id, shown = Shown }, cancellationToken: ct));
        var bounce = await connection.QuerySingleOrDefaultAsync<BounceRecord>(new CommandDefinition(Bounced, new { id }, cancellationToken: ct));
        return new SubscriberRecord(subscriber, events.AsList(), digests.AsList(), bounce);
    }
}
