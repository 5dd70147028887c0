using Dapper;
using Microsoft.Data.Sqlite;
using Newsletter.Core.Data;
using Newsletter.Core.Papers;

namespace Newsletter.Core.Digests;

/// <summary>SQL for digests and their papers; the ledger rows are written by <see cref="DeliveryLedger"/>.</summary>
public sealed class DigestStore(Db db, TimeProvider clock)
{
    static DigestStore()
    {
        StoredText.Register<DigestStatus>();
    }

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

    private const string ExistsForDate = "SELECT id FROM digests WHERE date = @Date";
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

    private const string PapersOf = """
        SELECT dp.position, dp.paper_id AS paperid, p.title, dp.upvotes
        FROM digest_papers dp JOIN papers p ON p.id = dp.paper_id
        WHERE dp.digest_id = @id ORDER BY dp.position
        """;

    // Conditional: a status only moves from the states named, so a late or repeated request can
    // never flip a running or finished send back.
    private const string Transition = """
        UPDATE digests SET status = @to,
            started_at = CASE WHEN @to = 'sending' THEN coalesce(started_at, @now) ELSE started_at END,
            finished_at = CASE WHEN @to IN ('sent', 'failed') THEN @now ELSE NULL END,
            failure_reason = @reason
        WHERE id = @id AND status IN @from
        """;

    public async Task<IReadOnlyList<Paper>> CandidatesAsync(DateOnly date, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Paper>(new CommandDefinition(Candidates, new { date, limit }, cancellationToken: ct))).AsList();
    }

    public async Task<Digest?> FindAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Digest>(new CommandDefinition(ById, new { id }, cancellationToken: ct));
    }

    public async Task<Digest?> FindByDateAsync(DateOnly date, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Digest>(new CommandDefinition(ByDate, new { date }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Digest>> UnfinishedAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Digest>(new CommandDefinition(Unfinished, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// Records the digest, its papers in order and its ledger in one transaction. Returns null when
    /// a digest for that date exists already (one digest per date, ever).
    /// </summary>
    public async Task<long?> CreateAsync(DigestDraft draft, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(ExistsForDate, new { draft.Date }, tx, cancellationToken: ct)) is not null)
            return null;

        var digestId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertDigest,
            new { draft.Date, draft.Subject, draft.HtmlBody, draft.TextBody, draft.ArchiveHtml, draft.SlotMarker, now = clock.GetUtcNow() },
            tx, cancellationToken: ct));        try
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertPaper,
                draft.Papers.Select((p, i) => new { digestId, position = i + 1, paperId = p.Id, upvotes = p.Upvotes }), tx, cancellationToken: ct));
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            // A paper went out in another digest since the draft was chosen: nothing is recorded.
            return null;
        }
        await DeliveryLedger.CreateAsync(connection, tx, digestId, ct);
        await tx.CommitAsync(ct);
        return digestId;
    }

    public async Task<IReadOnlyList<DigestPaperRow>> PapersAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<DigestPaperRow>(new CommandDefinition(PapersOf, new { id }, cancellationToken: ct))).AsList();
    }

    /// <summary>Moves the digest to <paramref name="to"/> if it is in one of <paramref name="from"/>; false if it was not.</summary>
    public async Task<bool> TransitionAsync(long id, DigestStatus[] from, DigestStatus to, string? reason, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(Transition, new
        {
            id, to = to.ToStored(), from = from.Select(s => s.ToStored()).ToArray(), reason, now = clock.GetUtcNow(),
        }, cancellationToken: ct)) == 1;
    }
}

/// <summary>A digest chosen and rendered, not yet recorded.</summary>
public sealed record DigestDraft(
    DateOnly Date, IReadOnlyList<Paper> Papers, string Subject, string HtmlBody, string TextBody, string ArchiveHtml, string SlotMarker);
