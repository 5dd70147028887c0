using Dapper;
using Newsletter.Core.Papers;

namespace Newsletter.Core.Digests;

/// <summary>A paper of an earlier day's list that grew into that day's top after its digest was made.</summary>
public sealed record RisingPaper(Paper Paper, long UpvotesBefore, DateOnly Since);

// Rising papers: read once when a daily digest is made, never per reader.
public sealed partial class DigestStore
{
    // Papers of the daily digests of [first, last] (their own pools, not the rising papers they
    // showed) whose count grew since that digest was made and that, ranked by the count they have
    // now against the counts the other papers of that pool had then, would have been within the
    // first @top. Ties count in the paper's favour. Largest growth first.
    private const string RisingFrom = """
        SELECT p.*, dp.upvotes AS upvotes_before, g.date AS since
        FROM digests g
        JOIN digest_papers dp ON dp.digest_id = g.id AND dp.rising = 0
        JOIN papers p ON p.id = dp.paper_id
        WHERE g.edition = 'daily' AND g.date BETWEEN @first AND @last
          AND p.upvotes > dp.upvotes
          AND (SELECT count(*) FROM digest_papers o
               WHERE o.digest_id = dp.digest_id AND o.rising = 0 AND o.position <> dp.position AND o.upvotes > p.upvotes) < @top
        """;

    private const string RisingOrder = " ORDER BY p.upvotes - dp.upvotes DESC, p.upvotes DESC, p.id LIMIT @limit";

    // Those that climbed into the top from below it, and those that were in it (positions 1..top):
    // read apart, so a long top, which most readers had and which often grew the most, never
    // crowds the climbers out of the candidates.
    private const string RisingClimbers = RisingFrom + " AND dp.position > @top" + RisingOrder;
    private const string RisingTops = RisingFrom + " AND dp.position <= @top" + RisingOrder;

    private const string RisingCount = "SELECT count(*) FROM digest_papers WHERE digest_id = @id AND rising = 1";

    /// <summary>
    /// At most <paramref name="limit"/> rising papers for the daily digest of <paramref name="date"/>:
    /// from the daily digests of the <paramref name="days"/> days before it, within the first
    /// <paramref name="top"/> of their day with today's count; largest growth first.
    /// </summary>
    public async Task<IReadOnlyList<RisingPaper>> RisingAsync(DateOnly date, int days, int top, int climbers, int tops, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = new List<RisingPaper>();
        foreach (var (sql, limit) in new[] { (RisingClimbers, climbers), (RisingTops, tops) })
            rows.AddRange(await connection.QueryAsync<Paper, RisingSince, RisingPaper>(new CommandDefinition(sql,
                    new { first = date.AddDays(-days), last = date.AddDays(-1), top, limit }, cancellationToken: ct),
                (paper, since) => new RisingPaper(paper, since.UpvotesBefore, since.Since), splitOn: "upvotes_before"));
        return rows.OrderByDescending(r => r.Paper.Upvotes - r.UpvotesBefore).ThenByDescending(r => r.Paper.Upvotes)
            .ThenBy(r => r.Paper.Id, StringComparer.Ordinal).DistinctBy(r => r.Paper.Id).ToList();
    }

    /// <summary>How many of the digest's pool are rising papers: the last ones by position.</summary>
    public async Task<int> RisingCountAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(RisingCount, new { id }, cancellationToken: ct));
    }

    private sealed class RisingSince
    {
        public long UpvotesBefore { get; init; }
        public DateOnly Since { get; init; }
    }
}
