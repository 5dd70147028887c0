using Dapper;
using Microsoft.Data.Sqlite;
using Newsletter.Core.Data;
using Newsletter.Core.Papers;

namespace Newsletter.Core.Digests;

/// <summary>SQL for digests, their papers and the send ledger.</summary>
public sealed class DigestStore(Db db, TimeProvider clock)
{
    private const string DigestColumns =
        "id, date, status, subject, html_body, text_body, archive_html, slot_marker, created_at, started_at, finished_at, failure_reason";

    // The rule of the contract: D's list, never sent before, by upvotes, then comments, then newer.
    private const string Candidates = """
        SELECT p.* FROM papers p
        WHERE p.daily_date = @date
          AND NOT EXISTS (SELECT 1 FROM digest_papers dp WHERE dp.paper_id = p.id)
        ORDER BY p.upvotes DESC, p.num_comments DESC, coalesce(p.published_at, '') DESC, p.id DESC
        LIMIT @limit
        """;

    private const string ByDate = $"SELECT {DigestColumns} FROM digests WHERE date = @date";
    private const string ById = $"SELECT {DigestColumns} FROM digests WHERE id = @id";

    private const string Unfinished = $"SELECT {DigestColumns} FROM digests WHERE status IN ('queued', 'sending') ORDER BY id";

    private const string InsertDigest = """
        INSERT INTO digests (date, status, subject, html_body, text_body, archive_html, slot_marker, created_at)
        VALUES (@Date, 'queued', @Subject, @HtmlBody, @TextBody, @ArchiveHtml, @SlotMarker, @now)
        RETURNING id
        """;

    private const string InsertPaper = """
        INSERT INTO digest_papers (digest_id, position, paper_id, upvotes) VALUES (@digestId, @position, @paperId, @upvotes)
        """;

    // The ledger: everyone active at this moment, and no one else, ever, for this digest.
    private const string InsertLedger = """
        INSERT INTO deliveries (digest_id, subscriber_id)
        SELECT @digestId, id FROM subscribers WHERE status = 'active'
        """;

    private const string PapersOf = """
        SELECT dp.position, dp.paper_id AS paperid, p.title, dp.upvotes
        FROM digest_papers dp JOIN papers p ON p.id = dp.paper_id
        WHERE dp.digest_id = @id ORDER BY dp.position
        """;

    private const string Counts = """
        SELECT count(*) AS recipients,
               coalesce(sum(status = 'sent'), 0) AS sent,
               coalesce(sum(status = 'failed'), 0) AS failed,
               coalesce(sum(status = 'skipped'), 0) AS skipped,
               coalesce(sum(status = 'pending'), 0) AS pending
        FROM deliveries WHERE digest_id = @id
        """;

    private const string SetStatus = """
        UPDATE digests SET status = @status,
            started_at = CASE WHEN @status = 'sending' THEN coalesce(started_at, @now) ELSE started_at END,
            finished_at = CASE WHEN @status IN ('sent', 'failed') THEN @now ELSE NULL END,
            failure_reason = @reason
        WHERE id = @id
        """;

    public async Task<IReadOnlyList<Paper>> CandidatesAsync(DateOnly date, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Paper>(Candidates, new { date, limit })).AsList();
    }

    public async Task<Digest?> FindAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Digest>(ById, new { id });
    }

    public async Task<Digest?> FindByDateAsync(DateOnly date, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Digest>(ByDate, new { date });
    }

    public async Task<IReadOnlyList<Digest>> UnfinishedAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Digest>(Unfinished)).AsList();
    }

    /// <summary>
    /// Records the digest, its papers in order and its ledger in one transaction. Returns null when
    /// a digest for that date exists already (one digest per date, ever).
    /// </summary>
    public async Task<long?> CreateAsync(DigestDraft draft, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await connection.QuerySingleOrDefaultAsync<long?>("SELECT id FROM digests WHERE date = @Date", new { draft.Date }, tx) is not null)
            return null;

        var digestId = await connection.ExecuteScalarAsync<long>(InsertDigest,
            new { draft.Date, draft.Subject, draft.HtmlBody, draft.TextBody, draft.ArchiveHtml, draft.SlotMarker, now = clock.GetUtcNow() }, tx);
        try
        {
            await connection.ExecuteAsync(InsertPaper,
                draft.Papers.Select((p, i) => new { digestId, position = i + 1, paperId = p.Id, upvotes = p.Upvotes }), tx);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            // A paper went out in another digest since the draft was chosen: nothing is recorded.
            return null;
        }
        await connection.ExecuteAsync(InsertLedger, new { digestId }, tx);
        await tx.CommitAsync(ct);
        return digestId;
    }

    public async Task<IReadOnlyList<DigestPaperRow>> PapersAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<DigestPaperRow>(PapersOf, new { id })).AsList();
    }

    public async Task<DeliveryCounts> CountsAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleAsync<DeliveryCounts>(Counts, new { id });
    }

    public async Task SetStatusAsync(long id, string status, string? reason, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(SetStatus, new { id, status, reason, now = clock.GetUtcNow() });
    }
}

/// <summary>A digest chosen and rendered, not yet recorded.</summary>
public sealed record DigestDraft(
    DateOnly Date, IReadOnlyList<Paper> Papers, string Subject, string HtmlBody, string TextBody, string ArchiveHtml, string SlotMarker);
