using Dapper;
using Newsletter.Core.Data;

namespace Newsletter.Core.Digests;

/// <summary>This process among the instances that share the database: an id no other process has had.</summary>
public sealed class SendInstance
{
    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    public string Host { get; } = Environment.MachineName;
}

/// <summary>One row of <c>send_instances</c> as the operator sees it.</summary>
public sealed record InstanceRow(string Id, string Host, DateTimeOffset SeenAt, DateTimeOffset LeaseUntil, long? DigestId);

/// <summary>
/// The instances' heartbeats (table <c>send_instances</c>). An instance's claims on ledger rows hold
/// while its lease lasts; it renews the lease every <see cref="Beat"/>, so one killed has its claims
/// taken over by the others at most <see cref="Lease"/> later.
/// </summary>
public sealed class SendInstances(Db db, SendInstance me, TimeProvider clock)
{
    public static readonly TimeSpan Beat = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private const string Upsert = """
        INSERT INTO send_instances (id, host, started_at, seen_at, lease_until, digest_id)
        VALUES (@Id, @Host, @now, @now, @until, @digestId)
        ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, lease_until = excluded.lease_until, digest_id = excluded.digest_id
        """;

    private const string Remove = "DELETE FROM send_instances WHERE id = @Id";

    // The instances sending this digest now: the cluster's rate cap is shared between them.
    private const string CountSending = "SELECT count(*) FROM send_instances WHERE digest_id = @digestId AND lease_until >= @now";

    private const string Live = "SELECT id, host, seen_at, lease_until, digest_id FROM send_instances WHERE lease_until >= @now ORDER BY id";


    /// <summary>Whether other instances may share this one's database and sends (PostgreSQL).</summary>
    public bool Shared => db.IsPostgres;

    // The digest this instance sends now; 0 for none (ids start at 1).
    private long _sending;

    /// <summary>Says which digest this instance sends now (null: none), at once rather than at the next beat.</summary>
    public async Task SendingAsync(long? digestId, CancellationToken ct)
    {
        // Set before the write, so the next beat carries it even if this write fails.
        Interlocked.Exchange(ref _sending, digestId ?? 0);
        await BeatAsync(ct);
    }

    /// <summary>Renews this instance's lease.</summary>
    public async Task BeatAsync(CancellationToken ct)
    {
        // Alone on SQLite nobody reads a lease (LeaseHeld always holds): no write every few seconds.
        if (!Shared) return;
        var now = clock.GetUtcNow();
        var started = clock.GetTimestamp();
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Upsert,
            new { me.Id, me.Host, now, until = now + Lease, digestId = Interlocked.Read(ref _sending) is var d and not 0 ? d : (long?)null }, cancellationToken: ct));
        Interlocked.Exchange(ref _renewed, started);
    }

    // When the last renewal that reached the database began (a timestamp of the clock); 0: none yet.
    private long _renewed;

    /// <summary>
    /// Whether this instance's lease surely still holds: renewed within the lease less two beats of
    /// margin. A send checks it before each message: past it, others may be taking its rows over.
    /// On SQLite there are no others (one process), so it always holds.
    /// </summary>
    public bool LeaseHeld => !Shared
                             || (Interlocked.Read(ref _renewed) is var renewed and not 0 && clock.GetElapsedTime(renewed) < Lease - 2 * Beat);

    /// <summary>Ends this instance's lease at once (a graceful stop): its claims, released already, are no longer its.</summary>
    public async Task LeaveAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Remove, new { me.Id }, cancellationToken: ct));
    }

    public async Task<int> SendingCountAsync(long digestId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(CountSending, new { digestId, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<InstanceRow>> LiveAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<InstanceRow>(new CommandDefinition(Live, new { now = clock.GetUtcNow() }, cancellationToken: ct))).AsList();
    }
}
