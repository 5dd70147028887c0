using Dapper;
using Newsletter.Core.Data;

namespace Newsletter.Core.Digests;

/// <summary>A digest with its ledger summed up, as the console lists it.</summary>
public sealed class DigestSummary
{
    public long Id { get; init; }
    public DateOnly Date { get; init; }
    public DigestEdition Edition { get; init; }
    public DigestStatus Status { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public long Recipients { get; init; }
    public long Sent { get; init; }
    public long Failed { get; init; }
}

/// <summary>The console's list of digests, newest first, paged by id (keyset, never OFFSET).</summary>
public sealed class DigestList(Db db)
{
    static DigestList()
    {
        StoredText.Register<DigestStatus>();
        StoredText.Register<DigestEdition>();
    }

    // The page of digests is chosen first, so only its ledgers are summed.
    private const string Newest = """
        SELECT d.id, d.date, d.edition, d.status, d.created_at, d.finished_at,
               COUNT(l.subscriber_id) AS recipients,
               count(l.status) FILTER (WHERE l.status = 'sent') AS sent,
               count(l.status) FILTER (WHERE l.status = 'failed') AS failed
        FROM (SELECT * FROM digests WHERE id < @before ORDER BY id DESC LIMIT @limit) d
        LEFT JOIN deliveries l ON l.digest_id = d.id
        GROUP BY d.id, d.date, d.edition, d.status, d.created_at, d.finished_at
        ORDER BY d.id DESC
        """;

    /// <summary>Up to <paramref name="limit"/> digests older than id <paramref name="before"/>.</summary>
    public async Task<IReadOnlyList<DigestSummary>> NewestAsync(long before, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<DigestSummary>(new CommandDefinition(Newest, new { before, limit }, cancellationToken: ct))).AsList();
    }
}
