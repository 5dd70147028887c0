using Dapper;
using Newsletter.Core.Data;

namespace Newsletter.Core.Replies;

/// <summary>A paper as numbered in one reader's copy of a digest (#1 is the first).</summary>
public sealed record NumberedPaper(int Number, string PaperId, string Title);

/// <summary>
/// Writes <c>replies</c> and <c>reply_answers</c> (erasure deletes a reader's rows, in its own transaction);
/// reads what a reader's digest held from the ledger.
/// </summary>
public sealed class ReplyStore(Db db)
{
    private const string PapersSent = """
        SELECT papers FROM deliveries
        WHERE digest_id = @digestId AND subscriber_id = @subscriberId AND status = 'sent'
        """;

    private const string PoolOf = """
        SELECT dp.position, dp.paper_id AS paperid, p.title FROM digest_papers dp JOIN papers p ON p.id = dp.paper_id
        WHERE dp.digest_id = @digestId ORDER BY dp.position
        """;

    // Sent to them since they (last) subscribed: a digest of an earlier subscription is not theirs to steer.
    private const string SentInCurrentSubscription = """
        SELECT count(*) FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
        WHERE d.digest_id = @digestId AND d.subscriber_id = @subscriberId AND d.status = 'sent' AND d.finished_at >= s.subscribed_at
        """;

    private const string IsHandled = "SELECT count(*) FROM replies WHERE subscriber_id = @subscriberId AND reply_id = @replyId";

    private const string RecordHandled = """
        INSERT INTO replies (subscriber_id, reply_id, received_at)
        SELECT @subscriberId, @replyId, @now WHERE {0}
        ON CONFLICT (subscriber_id, reply_id) DO NOTHING
        """;

    // One statement, so two instances handling two replies of one reader at once answer once.
    private const string ClaimAnswer = """
        INSERT INTO reply_answers (subscriber_id, answered_at)
        SELECT @subscriberId, @now WHERE {0}
        ON CONFLICT (subscriber_id) DO UPDATE SET answered_at = excluded.answered_at
        WHERE reply_answers.answered_at <= @before
        """;

    /// <summary>
    /// The papers of the reader's copy of the digest in the order the mail numbered them; empty when
    /// the ledger has no sent copy for them. A copy made before readers chose held the whole pool.
    /// </summary>
    public async Task<IReadOnlyList<NumberedPaper>> PapersOfAsync(long digestId, long subscriberId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var sent = await connection.QueryAsync<string?>(new CommandDefinition(PapersSent, new { digestId, subscriberId }, cancellationToken: ct));
        if (sent.AsList() is not [var papers]) return [];
        var pool = (await connection.QueryAsync<PoolRow>(new CommandDefinition(PoolOf, new { digestId }, cancellationToken: ct)))
            .ToDictionary(r => (int)r.Position);
        var positions = papers is null
            ? pool.Keys.Order().ToList()
            : papers.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.TryParse(p, out var n) ? n : -1).ToList();
        return positions.Select((position, i) => pool.TryGetValue(position, out var row) ? new NumberedPaper(i + 1, row.PaperId, row.Title) : null)
            .OfType<NumberedPaper>().ToList();
    }

    public async Task<bool> SentInCurrentSubscriptionAsync(long digestId, long subscriberId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(SentInCurrentSubscription, new { digestId, subscriberId }, cancellationToken: ct)) > 0;
    }

    public async Task<bool> IsHandledAsync(long subscriberId, string replyId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(IsHandled, new { subscriberId, replyId }, cancellationToken: ct)) > 0;
    }

    public async Task RecordHandledAsync(long subscriberId, string replyId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Guarded(RecordHandled), new { subscriberId, replyId, now }, cancellationToken: ct));
    }

    /// <summary>True (and the time stored) when the reader had no answer since <paramref name="now"/> minus <paramref name="quiet"/>.</summary>
    public async Task<bool> TryClaimAnswerAsync(long subscriberId, DateTimeOffset now, TimeSpan quiet, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(Guarded(ClaimAnswer),
            new { subscriberId, now, before = now - quiet }, cancellationToken: ct)) == 1;
    }

    // Nothing is recorded for a reader erased meanwhile (Data/ErasedGuard).
    private string Guarded(string sql) => string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, db.NotErased("@subscriberId"));

    private sealed class PoolRow
    {
        public long Position { get; init; }
        public string PaperId { get; init; } = "";
        public string Title { get; init; } = "";
    }
}
