using Dapper;

namespace Newsletter.Core.Digests;

/// <summary>
/// Claims on ledger rows, so that instances sharing the database share a send and never send one
/// row at the same time. An instance claims a batch of pending rows that are due and unclaimed, or
/// claimed by an instance whose lease ran out (it died); on PostgreSQL FOR UPDATE SKIP LOCKED lets
/// two instances claim at once without waiting for each other. The claim stays on a row after it is
/// sent: it says which instance sent it.
/// </summary>
public sealed partial class DeliveryLedger
{
    private const string ClaimableRows = """
        SELECT d.subscriber_id FROM deliveries d
        WHERE d.digest_id = @digestId AND d.status = 'pending' AND d.subscriber_id > @after
          AND (d.due_at IS NULL OR d.due_at <= @now)
          AND (d.claimed_by IS NULL OR (d.claimed_by <> @me AND NOT EXISTS (
                SELECT 1 FROM send_instances i WHERE i.id = d.claimed_by AND i.lease_until >= @now)))
          AND EXISTS (SELECT 1 FROM digests g WHERE g.id = @digestId AND g.status = 'sending')
        ORDER BY d.subscriber_id
        LIMIT @limit
        """;

    private const string Claim = $"""
        UPDATE deliveries SET claimed_by = @me
        WHERE digest_id = @digestId AND subscriber_id IN ({ClaimableRows})
        RETURNING subscriber_id
        """;

    private const string ClaimPostgres = $"""
        UPDATE deliveries SET claimed_by = @me
        WHERE digest_id = @digestId AND subscriber_id IN ({ClaimableRows} FOR UPDATE OF d SKIP LOCKED)
        RETURNING subscriber_id
        """;

    // The claimed rows with their readers. Read by range, so it may also meet rows this instance
    // claimed earlier and still has in flight; the caller keeps only the ones just claimed.
    private const string ClaimedBatch = $"""
        SELECT d.subscriber_id AS subscriberid, d.deferrals, {ReaderColumns}
        FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
        WHERE d.digest_id = @digestId AND d.subscriber_id BETWEEN @first AND @last
          AND d.claimed_by = @me AND d.status = 'pending'
        ORDER BY d.subscriber_id
        """;

    // Rows due now that another instance holds: this one waits for them (they are sent, or its lease runs out).
    private const string HeldByOthers = """
        SELECT EXISTS (
            SELECT 1 FROM deliveries d
            WHERE d.digest_id = @digestId AND d.status = 'pending' AND (d.due_at IS NULL OR d.due_at <= @now)
              AND d.claimed_by IS NOT NULL AND d.claimed_by <> @me)
          AND EXISTS (SELECT 1 FROM digests g WHERE g.id = @digestId AND g.status = 'sending')
        """;

    private const string Release = """
        UPDATE deliveries SET claimed_by = NULL WHERE digest_id = @digestId AND claimed_by = @me AND status = 'pending'
        """;

    private const string Shares = """
        SELECT claimed_by AS instance,
               count(*) FILTER (WHERE status = 'sent') AS sent,
               count(*) FILTER (WHERE status = 'pending') AS holding
        FROM deliveries WHERE digest_id = @digestId AND claimed_by IS NOT NULL
        GROUP BY claimed_by ORDER BY claimed_by
        """;

    /// <summary>
    /// Claims up to <paramref name="limit"/> rows after <paramref name="after"/> for instance
    /// <paramref name="me"/>, in key order, and returns them with their readers. Empty when the digest
    /// is no longer sending.
    /// </summary>
    public async Task<IReadOnlyList<DueDelivery>> ClaimAsync(long digestId, string me, long after, int limit, CancellationToken ct)
    {
        // One process on SQLite (DatabaseLock): nobody to share with, so rows are read, not claimed;
        // a claim would write every ledger row once more (bench/README.md, issue 12).
        if (!db.IsPostgres) return await DueAsync(digestId, after, limit, ct);
        await using var connection = await db.OpenAsync(ct);
        var now = clock.GetUtcNow();
        var claimed = (await connection.QueryAsync<long>(new CommandDefinition(db.IsPostgres ? ClaimPostgres : Claim,
            new { digestId, me, after, limit, now }, cancellationToken: ct))).ToHashSet();
        if (claimed.Count == 0) return [];
        var rows = await connection.QueryAsync<DueDelivery>(new CommandDefinition(ClaimedBatch,
            new { digestId, me, first = claimed.Min(), last = claimed.Max() }, cancellationToken: ct));
        return rows.Where(r => claimed.Contains(r.SubscriberId)).ToList();
    }

    /// <summary>Whether another instance holds rows of the digest that are due now (while it still sends).</summary>
    public async Task<bool> HeldByOthersAsync(long digestId, string me, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(HeldByOthers, new { digestId, me, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>At the end of a run: rows this instance claimed and did not finish become anyone's again.</summary>
    public async Task ReleaseAsync(long digestId, string me, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Release, new { digestId, me }, cancellationToken: ct));
    }

    /// <summary>Per instance that took part: how many it sent, and how many it holds now.</summary>
    public async Task<IReadOnlyList<InstanceShare>> SharesAsync(long digestId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<InstanceShare>(new CommandDefinition(Shares, new { digestId }, cancellationToken: ct))).AsList();
    }
}

/// <summary>
/// One instance's part in a digest's send. Properties, not a positional record: Dapper matches a
/// constructor by the reader's column types, and SQLite types an aggregate column as a blob when it
/// has no value yet.
/// </summary>
public sealed class InstanceShare
{
    public string Instance { get; init; } = "";

    public long Sent { get; init; }

    public long Holding { get; init; }
}
