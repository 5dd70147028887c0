using Dapper;
using Microsoft.Extensions.Options;
using Newsletter.Core.Data;
using Newsletter.Core.Options;

namespace Newsletter.Core.Digests;

/// <summary>
/// A daily digest as the public sees it: its date, its subject and the top papers of its web view.
/// <see cref="Updated"/> is when it was made, since what it shows was fixed then.
/// </summary>
public sealed record ArchivedDigest(DateOnly Date, string Subject, DateTimeOffset Updated, IReadOnlyList<DigestPaperRow> Papers);

/// <summary>
/// Reads the public archive: the daily digests (those <c>/digests/{date}</c> shows), newest first,
/// each with the papers its web view holds. Reads only; <see cref="DigestStore"/> writes digests.
/// </summary>
public sealed class DigestArchive(Db db, IOptions<DigestOptions> options)
{
    // Keyset on the date (unique per edition): a page starts below the last date of the one before.
    private const string Newest = """
        SELECT id, date, subject, created_at AS createdat
        FROM digests WHERE edition = 'daily' AND date < @before
        ORDER BY date DESC
        LIMIT @limit
        """;

    // The same page's digests, chosen again in SQL rather than passed as a list (a list parameter
    // is written differently for SQLite and PostgreSQL).
    private const string TopPapers = """
        SELECT dp.digest_id AS digestid, dp.position, dp.paper_id AS paperid, p.title, dp.upvotes
        FROM digest_papers dp JOIN papers p ON p.id = dp.paper_id
        WHERE dp.digest_id IN (SELECT id FROM digests WHERE edition = 'daily' AND date < @before ORDER BY date DESC LIMIT @limit)
          AND dp.position <= @top AND dp.rising = 0
        ORDER BY dp.digest_id, dp.position
        """;

    /// <summary>At most <paramref name="limit"/> daily digests dated before <paramref name="before"/> (null: the newest), newest first.</summary>
    public async Task<IReadOnlyList<ArchivedDigest>> NewestAsync(DateOnly? before, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var digests = (await connection.QueryAsync<DigestRow>(new CommandDefinition(Newest,
            new { before = before ?? DateOnly.MaxValue, limit }, cancellationToken: ct))).AsList();
        if (digests.Count == 0) return [];

        var papers = (await connection.QueryAsync<PaperRow>(new CommandDefinition(TopPapers,
                new { before = before ?? DateOnly.MaxValue, limit, top = options.Value.MaxPapers }, cancellationToken: ct)))
            .ToLookup(p => p.DigestId, p => new DigestPaperRow(p.Position, p.PaperId, p.Title, p.Upvotes));
        return digests.Select(d => new ArchivedDigest(d.Date, d.Subject, d.CreatedAt, papers[d.Id].ToList())).ToList();
    }

    /// <summary>The newest daily digest, or null before the first one.</summary>
    public async Task<ArchivedDigest?> LatestAsync(CancellationToken ct) => (await NewestAsync(null, 1, ct)).FirstOrDefault();

    private sealed class DigestRow
    {
        public long Id { get; init; }
        public DateOnly Date { get; init; }
        public string Subject { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    private sealed class PaperRow
    {
        public long DigestId { get; init; }
        public long Position { get; init; }
        public string PaperId { get; init; } = "";
        public string Title { get; init; } = "";
        public long Upvotes { get; init; }
    }
}
