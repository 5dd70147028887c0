using Dapper;
using Newsletter.Core.Data;

namespace Newsletter.Core.Bounces;

/// <summary>One handled bounce or complaint, as the console shows it.</summary>
public sealed class BounceEntry
{
    public long SubscriberId { get; init; }
    public long? DigestId { get; init; }
    public BounceAction Kind { get; init; }
    public string? StatusCode { get; init; }
    public string? Diagnostic { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>The only writer of <c>bounces</c>: the returned mail that named a subscriber.</summary>
public sealed class BounceStore(Db db)
{
    /// <summary>The newest entries only, for the console.</summary>
    public const int Shown = 50;

    static BounceStore()
    {
        StoredText.Register<BounceAction>();
    }

    private const string Columns = "subscriber_id, digest_id, kind, status_code, diagnostic, received_at";

    private const string ByReport = $"SELECT {Columns} FROM bounces WHERE subscriber_id = @subscriberId AND report_id = @reportId";

    private const string Insert = """
        INSERT INTO bounces (subscriber_id, digest_id, kind, status_code, diagnostic, received_at, report_id)
        SELECT @SubscriberId, @DigestId, @kind, @StatusCode, @Diagnostic, @ReceivedAt, @reportId
        WHERE {0}
        ON CONFLICT (subscriber_id, report_id) DO NOTHING
        """;

    private const string SoftSince = """
        SELECT COUNT(*) FROM bounces WHERE subscriber_id = @subscriberId AND kind = @kind AND received_at >= @since
        """;

    private const string OfSubscriber = $"SELECT {Columns} FROM bounces WHERE subscriber_id = @subscriberId ORDER BY id DESC LIMIT @shown";

    /// <summary>The bounce recorded for this returned message about this reader, if it was handled before.</summary>
    public async Task<BounceEntry?> FindAsync(long subscriberId, string reportId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<BounceEntry>(new CommandDefinition(ByReport, new { subscriberId, reportId }, cancellationToken: ct));
    }

    /// <summary>Records a handled returned message; false when it was recorded for this reader already.</summary>
    public async Task<bool> RecordAsync(BounceEntry entry, string reportId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            string.Format(System.Globalization.CultureInfo.InvariantCulture, Insert, db.NotErased("@SubscriberId")),
            new { entry.SubscriberId, entry.DigestId, kind = entry.Kind.ToStored(), entry.StatusCode, entry.Diagnostic, entry.ReceivedAt, reportId },
            cancellationToken: ct)) == 1;
    }

    public async Task<long> SoftBouncesSinceAsync(long subscriberId, DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(SoftSince,
            new { subscriberId, kind = BounceAction.Soft.ToStored(), since }, cancellationToken: ct));
    }

    /// <summary>A subscriber's bounces and complaints, newest first.</summary>
    public async Task<IReadOnlyList<BounceEntry>> OfSubscriberAsync(long subscriberId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<BounceEntry>(new CommandDefinition(OfSubscriber,
            new { subscriberId, shown = Shown }, cancellationToken: ct))).AsList();
    }

    private const string DeleteOf = "DELETE FROM bounces WHERE subscriber_id = @subscriberId";

    /// <summary>
    /// Forgets every returned mail about an erased reader (a report quotes their address), in the
    /// erasure's transaction.
    /// </summary>
    public Task DeleteForAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, long subscriberId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(DeleteOf, new { subscriberId }, tx, cancellationToken: ct));
}
