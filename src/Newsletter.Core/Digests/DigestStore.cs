using System.Data.Common;
using Dapper;
using Newsletter.Core.Data;
using Newsletter.Core.Papers;

namespace Newsletter.Core.Digests;

/// <summary>SQL for digests and their papers; the ledger rows are written by <see cref="DeliveryLedger"/>.</summary>
public sealed partial class DigestStore(Db db, TimeProvider clock)
{
    static DigestStore()
    {
        StoredText.Register<DigestStatus>();
        StoredText.Register<DigestEdition>();
        StoredText.Register<DayOfWeek>();
    }

    private const string DigestColumns =
        "id, date, edition, status, subject, html_body, text_body, archive_html, slot_marker, created_at, started_at, finished_at, failure_reason";

    // The papers a digest's readers choose from: the lists of its days, most upvoted first (then
    // more comments, then newer), as the contract orders a reader without preferences. A paper a
    // daily digest held already (listed again on a later day) is not news again for the daily
    // readers; weekly pools overlap by design, and each reader's history keeps them from repeats.
    private const string Pool = """
        SELECT p.* FROM papers p
        WHERE p.daily_date BETWEEN @first AND @last
          AND (@edition <> 'daily' OR NOT EXISTS (
                SELECT 1 FROM digest_papers dp JOIN digests g ON g.id = dp.digest_id
                WHERE dp.paper_id = p.id AND g.edition = 'daily'))
        ORDER BY p.upvotes DESC, p.num_comments DESC, coalesce(p.published_at, '') DESC, p.id DESC
        LIMIT @limit
        """;

    private const string ByDate = $"SELECT {DigestColumns} FROM digests WHERE date = @date AND edition = @edition";
    private const string ById = $"SELECT {DigestColumns} FROM digests WHERE id = @id";
    private const string StateById = "SELECT id, date, edition, status, created_at, started_at, finished_at, failure_reason FROM digests WHERE id = @id";

    // Newest first by id, so a digest made later for an earlier date is still news to the operator.
    private const string IdsBefore = "SELECT id FROM digests WHERE id < @before ORDER BY id DESC LIMIT @limit";

    private const string Unfinished = $"SELECT {DigestColumns} FROM digests WHERE status IN ('queued', 'sending') ORDER BY id";

    private const string InsertDigest = """
        INSERT INTO digests (date, edition, status, subject, html_body, text_body, archive_html, slot_marker, created_at)
        VALUES (@Date, @edition, 'queued', @Subject, @HtmlBody, @TextBody, @ArchiveHtml, @SlotMarker, @now)
        ON CONFLICT (date, edition) DO NOTHING
        RETURNING id
        """;

    private const string InsertPaper = """
        INSERT INTO digest_papers (digest_id, position, paper_id, upvotes, rising) VALUES (@digestId, @position, @paperId, @upvotes, @rising)
        """;

    private const string PapersOf = """
        SELECT dp.position, dp.paper_id AS paperid, p.title, dp.upvotes
        FROM digest_papers dp JOIN papers p ON p.id = dp.paper_id
        WHERE dp.digest_id = @id AND dp.rising = 0 ORDER BY dp.position
        LIMIT @limit
        """;

    private const string PoolOf = """
        SELECT p.* FROM digest_papers dp JOIN papers p ON p.id = dp.paper_id
        WHERE dp.digest_id = @id ORDER BY dp.position
        """;

    // The papers this digest's waiting readers voted on: what their taste is learned from.
    private const string VotedByReaders = """
        SELECT p.* FROM papers p WHERE p.id IN (
            SELECT v.paper_id FROM deliveries d JOIN votes v ON v.subscriber_id = d.subscriber_id
            WHERE d.digest_id = @id AND d.status = 'pending')
        """;

    // The pools of every other digest that holds a paper of this one's: whatever they sent a reader
    // of these papers counts against this digest (by paper, so a paper whose list day changed too).
    private const string OverlappingPools = """
        SELECT dp.digest_id AS digestid, dp.position, dp.paper_id AS paperid
        FROM digest_papers dp
        WHERE dp.digest_id IN (SELECT DISTINCT other.digest_id FROM digest_papers mine
                               JOIN digest_papers other ON other.paper_id = mine.paper_id
                               WHERE mine.digest_id = @id AND other.digest_id <> @id)
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

    // PostgreSQL takes the list as one array parameter (Dapper passes arrays to Npgsql whole).
    private const string TransitionPostgres = """
        UPDATE digests SET status = @to,
            started_at = CASE WHEN @to = 'sending' THEN coalesce(started_at, @now) ELSE started_at END,
            finished_at = CASE WHEN @to IN ('sent', 'failed') THEN @now ELSE NULL END,
            failure_reason = @reason
        WHERE id = @id AND status = ANY(@from)
        """;

    /// <summary>The pool of a new <paramref name="edition"/> digest for <paramref name="date"/>: at most <paramref name="limit"/> papers, most upvoted first.</summary>
    public async Task<IReadOnlyList<Paper>> PoolAsync(DigestEdition edition, DateOnly date, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Paper>(new CommandDefinition(Pool,
            new { first = edition.FirstDay(date), last = date, edition = edition.ToStored(), limit }, cancellationToken: ct))).AsList();
    }

    public async Task<Digest?> FindAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Digest>(new CommandDefinition(ById, new { id }, cancellationToken: ct));
    }

    public async Task<DigestState?> FindStateAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<DigestState>(new CommandDefinition(StateById, new { id }, cancellationToken: ct));
    }

    public async Task<Digest?> FindByDateAsync(DateOnly date, DigestEdition edition, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Digest>(
            new CommandDefinition(ByDate, new { date, edition = edition.ToStored() }, cancellationToken: ct));
    }

    /// <summary>At most <paramref name="limit"/> digest ids below <paramref name="before"/>, newest first (keyset on id).</summary>
    public async Task<IReadOnlyList<long>> IdsBeforeAsync(long before, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<long>(new CommandDefinition(IdsBefore, new { before, limit }, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<Digest>> UnfinishedAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Digest>(new CommandDefinition(Unfinished, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// Records the digest, its pool in order and its ledger (the audience as it is now, each reader
    /// due when <paramref name="dueAt"/> says) in one transaction. Returns null when a digest for
    /// that date and edition exists already (one per date and edition, ever).
    /// </summary>
    public async Task<long?> CreateAsync(DigestDraft draft, DigestAudience audience, DueAt dueAt, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var edition = draft.Edition.ToStored();
        var now = clock.GetUtcNow();
        // One per date and edition: the unique key decides, also between instances making it at once.
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(InsertDigest,
                new { draft.Date, edition, draft.Subject, draft.HtmlBody, draft.TextBody, draft.ArchiveHtml, draft.SlotMarker, now },
                tx, cancellationToken: ct)) is not { } digestId)
            return null;
        await connection.ExecuteAsync(new CommandDefinition(InsertPaper,
            draft.Papers.Select((p, i) => new
            {
                digestId, position = i + 1, paperId = p.Id, upvotes = p.Upvotes, rising = i >= draft.Papers.Count - draft.RisingCount ? 1L : 0L,
            }), tx, cancellationToken: ct));
        await DeliveryLedger.CreateAsync(connection, tx, digestId, audience, dueAt, now, ct);
        await tx.CommitAsync(ct);
        return digestId;
    }

    /// <summary>The first <paramref name="limit"/> papers of the digest's own pool (not its rising papers), in order.</summary>
    public async Task<IReadOnlyList<DigestPaperRow>> PapersAsync(long id, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<DigestPaperRow>(new CommandDefinition(PapersOf, new { id, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>The digest's whole pool, in position order: its own papers, then its rising ones (<see cref="RisingCountAsync"/>).</summary>
    public async Task<IReadOnlyList<Paper>> PoolOfAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Paper>(new CommandDefinition(PoolOf, new { id }, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<Paper>> VotedByReadersAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Paper>(new CommandDefinition(VotedByReaders, new { id }, cancellationToken: ct))).AsList();
    }

    /// <summary>The pools of the other digests that share a paper with <paramref name="digest"/>'s.</summary>
    public async Task<IReadOnlyList<PoolEntry>> OverlappingPoolsAsync(Digest digest, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<PoolEntry>(new CommandDefinition(OverlappingPools, new { id = digest.Id }, cancellationToken: ct))).AsList();
    }

    /// <summary>Moves the digest to <paramref name="to"/> if it is in one of <paramref name="from"/>; false if it was not.</summary>
    public async Task<bool> TransitionAsync(long id, DigestStatus[] from, DigestStatus to, string? reason, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await TransitionAsync(connection, null, id, from, to, reason, ct);
    }

    private async Task<bool> TransitionAsync(DbConnection connection, DbTransaction? tx,
        long id, DigestStatus[] from, DigestStatus to, string? reason, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(db.IsPostgres ? TransitionPostgres : Transition, new
        {
            id, to = to.ToStored(), from = from.Select(s => s.ToStored()).ToArray(), reason, now = clock.GetUtcNow(),
        }, tx, cancellationToken: ct)) == 1;

    /// <summary>
    /// Stops a sending digest as failed and, in the same transaction, puts back to pending what
    /// failed for a passing reason, for the resume. Done one after the other, a status read between
    /// the two saw a failed digest still counting those failures. False when the digest was no
    /// longer sending (another instance finished it): then nothing is reopened.
    /// </summary>
    public async Task<bool> StopAsFailedAsync(long id, string reason, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(connection, ct);
        var stopped = await TransitionAsync(connection, tx, id, [DigestStatus.Sending], DigestStatus.Failed, reason, ct);
        if (stopped) await connection.ExecuteAsync(new CommandDefinition(DeliveryLedger.ReopenTransient, new { digestId = id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return stopped;
    }
}

public sealed record PoolEntry(long DigestId, long Position, string PaperId);

/// <summary>When a new digest's reader is due: null for at once (see <see cref="SendHours"/>).</summary>
public delegate DateTimeOffset? DueAt(int hour, string? zone, DateTimeOffset madeAt);

/// <summary>
/// A digest chosen and rendered, not yet recorded. <paramref name="Papers"/>: its pool, in order,
/// ending with its <paramref name="RisingCount"/> rising papers.
/// </summary>
public sealed record DigestDraft(
    DateOnly Date, DigestEdition Edition, IReadOnlyList<Paper> Papers, string Subject, string HtmlBody, string TextBody, string ArchiveHtml, string SlotMarker,
    int RisingCount = 0);
