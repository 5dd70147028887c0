using Dapper;
using Newsletter.Core.Data;

namespace Newsletter.Core.Delivery;

/// <summary>A ledger row due for sending, with the subscriber's state as it is now.</summary>
public sealed record DueDelivery(long SubscriberId, string Email, string Status);

/// <summary>What happened to one ledger row.</summary>
public sealed record DeliveryResult(long SubscriberId, string Status, int Attempts, string? Error, bool Permanent);

/// <summary>SQL for the send ledger.</summary>
public sealed class DeliveryStore(Db db, TimeProvider clock)
{
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

    // A 5xx for a recipient marks them bounced once the digest has gone out.
    private const string ApplyBounces = """
        UPDATE subscribers
        SET status = 'bounced', bounced_at = @now, updated_at = @now,
            bounce_reason = (SELECT last_error FROM deliveries d WHERE d.digest_id = @digestId AND d.subscriber_id = subscribers.id)
        WHERE status = 'active'
          AND id IN (SELECT subscriber_id FROM deliveries WHERE digest_id = @digestId AND permanent = 1)
        """;

    // When a send is stopped as failed, what failed is retried on resume rather than lost.
    private const string ReopenFailed = """
        UPDATE deliveries SET status = 'pending', permanent = 0 WHERE digest_id = @digestId AND status = 'failed'
        """;

    public async Task<IReadOnlyList<DueDelivery>> DueAsync(long digestId, long after, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<DueDelivery>(DueBatch, new { digestId, after, limit })).AsList();
    }

    /// <summary>Records many results in one transaction (a group commit: one disk sync for all of them).</summary>
    public async Task RecordAsync(long digestId, IReadOnlyList<DeliveryResult> results, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(Record, results.Select(r => new
        {
            r.Status, r.Attempts, r.Error, Permanent = r.Permanent ? 1 : 0, now, digestId, r.SubscriberId,
        }), tx);
        await tx.CommitAsync(ct);
    }

    public async Task<int> ApplyBouncesAsync(long digestId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(ApplyBounces, new { digestId, now = clock.GetUtcNow() });
    }

    public async Task<int> ReopenFailedAsync(long digestId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(ReopenFailed, new { digestId });
    }
}
