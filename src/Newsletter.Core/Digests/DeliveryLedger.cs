using System.Data.Common;
using Dapper;
using Newsletter.Core.Data;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Digests;

/// <summary>One ledger row's lifecycle: pending until sent, failed or skipped.</summary>
public enum DeliveryStatus { Pending, Sent, Failed, Skipped }

/// <summary>A ledger row due for sending, with the subscriber's state as it is now.</summary>
public sealed record DueDelivery(long SubscriberId, string Email, SubscriberStatus Status);

/// <summary>What happened to one ledger row. <paramref name="Permanent"/>: the recipient's server refused for good.</summary>
public sealed record DeliveryResult(long SubscriberId, DeliveryStatus Status, int Attempts, string? Error, bool Permanent)
{
    public static DeliveryResult Skipped(long subscriberId, SubscriberStatus status) =>
        new(subscriberId, DeliveryStatus.Skipped, 0, $"subscriber is {status.ToStored()}", false);
}

/// <summary>
/// The send ledger (table <c>deliveries</c>): one row per recipient of a digest, fixed when the
/// digest is made. The only writer of that table.
/// </summary>
public sealed class DeliveryLedger(Db db, TimeProvider clock)
{
    static DeliveryLedger()
    {
        StoredText.Register<DeliveryStatus>();
        StoredText.Register<SubscriberStatus>();
    }

    // Everyone active at this moment, and no one else, ever, for this digest.
    private const string Create = """
        INSERT INTO deliveries (digest_id, subscriber_id)
        SELECT @digestId, id FROM subscribers WHERE status = 'active'
        """;

    private const string DueBatch = """
        SELECT d.subscriber_id AS subscriberid, s.email, s.status
        FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
        WHERE d.digest_id = @digestId AND d.status = 'pending' AND d.subscriber_id > @after
        ORDER BY d.subscriber_id
        LIMIT @limit
        """;

    private const string Record = """
        UPDATE deliveries
        SET status = @Status, attempts = attempts + @Attempts, last_error = @Error, permanent = @Permanent, finished_at = @now
        WHERE digest_id = @digestId AND subscriber_id = @SubscriberId AND status = 'pending'
        """;

    // What failed for a passing reason is tried again on resume; a recipient's permanent refusal is not.
    private const string ReopenTransient = """
        UPDATE deliveries SET status = 'pending' WHERE digest_id = @digestId AND status = 'failed' AND permanent = 0
        """;

    private const string Counts = """
        SELECT count(*) AS recipients,
               coalesce(sum(status = 'sent'), 0) AS sent,
               coalesce(sum(status = 'failed'), 0) AS failed,
               coalesce(sum(status = 'skipped'), 0) AS skipped,
               coalesce(sum(status = 'pending'), 0) AS pending
        FROM deliveries WHERE digest_id = @digestId
        """;

    /// <summary>Writes a new digest's rows inside the transaction that records the digest.</summary>
    internal static Task CreateAsync(DbConnection connection, DbTransaction tx, long digestId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(Create, new { digestId }, tx, cancellationToken: ct));

    public async Task<IReadOnlyList<DueDelivery>> DueAsync(long digestId, long after, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<DueDelivery>(new CommandDefinition(DueBatch, new { digestId, after, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>Records many results in one transaction (a group commit: one disk sync for all of them).</summary>
    public async Task RecordAsync(long digestId, IReadOnlyList<DeliveryResult> results, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(Record, results.Select(r => new
        {
            Status = r.Status.ToStored(), r.Attempts, r.Error, Permanent = r.Permanent ? 1 : 0, now, digestId, r.SubscriberId,
        }), tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    public async Task<int> ReopenTransientFailuresAsync(long digestId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(ReopenTransient, new { digestId }, cancellationToken: ct));
    }

    public async Task<DeliveryCounts> CountsAsync(long digestId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleAsync<DeliveryCounts>(new CommandDefinition(Counts, new { digestId }, cancellationToken: ct));
    }
}
