using System.Data.Common;
using Dapper;
using Newsletter.Core.Data;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Digests;

/// <summary>A paper a reader got in an earlier mail: which digest, which position of its pool.</summary>
public sealed record SentBefore(long SubscriberId, long DigestId, string? Papers);

/// <summary>
/// The send ledger (table <c>deliveries</c>): one row per recipient of a digest, fixed when the
/// digest is made. The only writer of that table.
/// </summary>
public sealed partial class DeliveryLedger(Db db, TimeProvider clock)
{
    static DeliveryLedger()
    {
        StoredText.Register<DeliveryStatus>();
        StoredText.Register<SubscriberStatus>();
        StoredText.Register<DigestFrequency>();
        StoredText.Register<DayOfWeek>();
    }

    // Everyone of the audience active at this moment, and no one else, ever, for this digest.
    private const string Create = """
        INSERT INTO deliveries (digest_id, subscriber_id)
        SELECT @digestId, id FROM subscribers
        WHERE status = 'active' AND frequency = @frequency AND (@weekday IS NULL OR weekday = @weekday)
        """;

    private const string OwnHours = """
        SELECT DISTINCT s.send_hour AS hour, s.time_zone AS zone
        FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
        WHERE d.digest_id = @digestId AND s.send_hour IS NOT NULL
        """;

    private const string SetDue = """
        UPDATE deliveries SET due_at = @due
        WHERE digest_id = @digestId AND subscriber_id IN
            (SELECT id FROM subscribers WHERE send_hour = @hour AND coalesce(time_zone, '') = coalesce(@zone, ''))
        """;

    // A due reader as the send sees them (DueDelivery), after the subscriber's id.
    private const string ReaderColumns =
        "s.email, s.status, s.consent_version AS consentversion, s.topics, s.muted_topics AS mutedtopics, s.require_code AS requirecode, s.max_papers AS maxpapers";

    private const string DueBatch = $"""
        SELECT d.subscriber_id AS subscriberid, d.deferrals, {ReaderColumns}
        FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
        WHERE d.digest_id = @digestId AND d.status = 'pending' AND d.subscriber_id > @after
          AND (d.due_at IS NULL OR d.due_at <= @now)
        ORDER BY d.subscriber_id
        LIMIT @limit
        """;

    private const string ReaderByEmail = $"""
        SELECT s.id AS subscriberid, {ReaderColumns}
        FROM subscribers s WHERE s.email = @email
        """;

    // What these readers got from the digests whose days overlap this one's. A digest made before
    // readers chose (papers NULL) sent its whole pool to everyone it reached.
    // Driven from this digest's own rows of the batch: a weekly digest's readers are spread thinly
    // over the ids, and reading everyone's rows in their range would read the daily readers' too.
    private const string SentBeforeBatch = """
        SELECT d.subscriber_id AS subscriberid, d.digest_id AS digestid, d.papers
        FROM deliveries mine JOIN deliveries d ON d.subscriber_id = mine.subscriber_id
        WHERE mine.digest_id = @digestId AND mine.subscriber_id BETWEEN @first AND @last
          AND d.digest_id IN @digests AND d.status = 'sent'
        """;

    // PostgreSQL takes the list as one array parameter (Dapper passes arrays to Npgsql whole).
    private const string SentBeforeBatchPostgres = """
        SELECT d.subscriber_id AS subscriberid, d.digest_id AS digestid, d.papers
        FROM deliveries mine JOIN deliveries d ON d.subscriber_id = mine.subscriber_id
        WHERE mine.digest_id = @digestId AND mine.subscriber_id BETWEEN @first AND @last
          AND d.digest_id = ANY(@digests) AND d.status = 'sent'
        """;

    private const string VotesBatch = """
        SELECT v.subscriber_id AS subscriberid, v.paper_id AS paperid, v.vote
        FROM deliveries mine JOIN votes v ON v.subscriber_id = mine.subscriber_id
        WHERE mine.digest_id = @digestId AND mine.subscriber_id BETWEEN @first AND @last
        ORDER BY v.subscriber_id, v.at DESC
        """;

    // One reader, whether or not the digest is theirs (the operator's preview of their copy).
    private const string SentBeforeOne = """
        SELECT subscriber_id AS subscriberid, digest_id AS digestid, papers FROM deliveries
        WHERE digest_id IN @digests AND subscriber_id = @first AND status = 'sent'
        """;

    private const string SentBeforeOnePostgres = """
        SELECT subscriber_id AS subscriberid, digest_id AS digestid, papers FROM deliveries
        WHERE digest_id = ANY(@digests) AND subscriber_id = @first AND status = 'sent'
        """;

    private const string VotesOne = """
        SELECT subscriber_id AS subscriberid, paper_id AS paperid, vote FROM votes WHERE subscriber_id = @first ORDER BY at DESC
        """;

    // When the next reader who chose an hour is due, over every digest.
    // A failed digest's waiting readers wait for its resume, not for their hour.
    private const string NextWaiting = """
        SELECT min(d.due_at) FROM deliveries d JOIN digests g ON g.id = d.digest_id
        WHERE d.status = 'pending' AND d.due_at IS NOT NULL AND g.status IN ('queued', 'sending')
        """;

    private const string DigestsWithDue = """
        SELECT DISTINCT d.digest_id FROM deliveries d JOIN digests g ON g.id = d.digest_id
        WHERE d.status = 'pending' AND d.due_at IS NOT NULL AND d.due_at <= @now AND g.status IN ('queued', 'sending')
        """;

    private const string Record = """
        UPDATE deliveries
        SET status = @Status, attempts = attempts + @Attempts, last_error = @Error, permanent = @Permanent, finished_at = @now,
            papers = coalesce(@Papers, papers)
        WHERE digest_id = @digestId AND subscriber_id = @SubscriberId AND status = 'pending'
        """;

    // PostgreSQL: a statement is a round trip, so a whole group goes in one, as arrays, and being
    // one statement it commits by itself. The ANY(@ids) lets the planner go by the primary key:
    // it cannot tell how many rows unnest yields, and without it read the digest's whole ledger.
    private const string RecordPostgres = """
        UPDATE deliveries d
        SET status = r.status, attempts = d.attempts + r.attempts, last_error = r.error, permanent = r.permanent,
            finished_at = @now, papers = coalesce(r.papers, d.papers)
        FROM unnest(@ids, @statuses, @attempts, @errors, @permanents, @papers) AS r(subscriber_id, status, attempts, error, permanent, papers)
        WHERE d.digest_id = @digestId AND d.subscriber_id = ANY(@ids) AND d.subscriber_id = r.subscriber_id AND d.status = 'pending'
        """;

    // What failed for a passing reason is tried again on resume, by whichever instance claims it, and
    // so is what waits after a deferral (the operator fixed the cause); a recipient's permanent
    // refusal is not. Also run by DigestStore.StopAsFailedAsync, in the transaction that stops the digest.
    internal const string ReopenTransient = """
        UPDATE deliveries SET status = 'pending', claimed_by = NULL WHERE digest_id = @digestId AND status = 'failed' AND permanent = 0;
        UPDATE deliveries SET due_at = NULL WHERE digest_id = @digestId AND status = 'pending' AND deferrals > 0
        """;


    private const string Counts = """
        SELECT count(*) AS recipients,
               count(*) FILTER (WHERE status = 'sent') AS sent,
               count(*) FILTER (WHERE status = 'failed') AS failed,
               count(*) FILTER (WHERE status = 'skipped') AS skipped,
               count(*) FILTER (WHERE status = 'pending') AS pending
        FROM deliveries WHERE digest_id = @digestId
        """;

    /// <summary>Writes a new digest's rows inside the transaction that records the digest, with the due time of readers who chose an hour.</summary>
    internal static async Task CreateAsync(
        DbConnection connection, DbTransaction tx, long digestId, DigestAudience audience, DueAt dueAt, DateTimeOffset now, CancellationToken ct)
    {
        var frequency = (audience.Edition == DigestEdition.Weekly ? DigestFrequency.Weekly : DigestFrequency.Daily).ToStored();
        await connection.ExecuteAsync(new CommandDefinition(Create,
            new { digestId, frequency, weekday = audience.Weekday?.ToStored() }, tx, cancellationToken: ct));
        foreach (var own in await connection.QueryAsync<(long Hour, string? Zone)>(new CommandDefinition(OwnHours, new { digestId }, tx, cancellationToken: ct)))
        {
            if (dueAt((int)own.Hour, own.Zone, now) is { } due)
                await connection.ExecuteAsync(new CommandDefinition(SetDue, new { digestId, due, hour = own.Hour, zone = own.Zone }, tx, cancellationToken: ct));
        }
    }

    /// <summary>Pending rows after <paramref name="after"/> whose time has come, in key order.</summary>
    public async Task<IReadOnlyList<DueDelivery>> DueAsync(long digestId, long after, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<DueDelivery>(new CommandDefinition(DueBatch,
            new { digestId, after, limit, now = clock.GetUtcNow() }, cancellationToken: ct))).AsList();
    }

    /// <summary>One subscriber as a digest's send would see them (for a preview of their copy).</summary>
    public async Task<DueDelivery?> ReaderAsync(string email, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<DueDelivery>(new CommandDefinition(ReaderByEmail, new { email }, cancellationToken: ct));
    }

    /// <summary>
    /// Sent rows of <paramref name="digests"/> for the readers of <paramref name="digestId"/> from
    /// <paramref name="first"/> to <paramref name="last"/>; without a digest, of the one reader <paramref name="first"/>.
    /// </summary>
    public async Task<IReadOnlyList<SentBefore>> SentBeforeAsync(long? digestId, IReadOnlyList<long> digests, long first, long last, CancellationToken ct)
    {
        if (digests.Count == 0) return [];
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<SentBefore>(new CommandDefinition((digestId is null, db.IsPostgres) switch
            {
                (true, false) => SentBeforeOne,
                (true, true) => SentBeforeOnePostgres,
                (false, false) => SentBeforeBatch,
                (false, true) => SentBeforeBatchPostgres,
            },
            new { digestId, digests = digests.ToArray(), first, last }, cancellationToken: ct))).AsList();
    }

    /// <summary>The votes of the same readers, newest first per reader.</summary>
    public async Task<IReadOnlyList<(long SubscriberId, string PaperId, int Vote)>> VotesAsync(long? digestId, long first, long last, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<(long, string, int)>(new CommandDefinition(digestId is null ? VotesOne : VotesBatch,
            new { digestId, first, last }, cancellationToken: ct))).AsList();
    }

    /// <summary>When the next reader waiting for their own hour is due; null when no one waits.</summary>
    public async Task<DateTimeOffset?> NextWaitingAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var next = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(NextWaiting, cancellationToken: ct));
        return next is null ? null : DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The digests with readers whose own hour has come.</summary>
    public async Task<IReadOnlyList<long>> DigestsWithDueReadersAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<long>(new CommandDefinition(DigestsWithDue, new { now = clock.GetUtcNow() }, cancellationToken: ct))).AsList();
    }

    /// <summary>Records many results in one transaction (a group commit: one disk sync for all of them).</summary>
    public async Task RecordAsync(long digestId, IReadOnlyList<DeliveryResult> results, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var now = clock.GetUtcNow();
        var deferred = Deferred(results, out results);
        if (db.IsPostgres)
        {
            if (deferred.Count > 0) await DeferAsync(connection, null, digestId, deferred, ct);
            if (results.Count == 0) return;
            await connection.ExecuteAsync(new CommandDefinition(RecordPostgres, new
            {
                digestId, now = DapperSetup.Stored(now),
                ids = results.Select(r => r.SubscriberId).ToArray(),
                statuses = results.Select(r => r.Status.ToStored()).ToArray(),
                attempts = results.Select(r => (long)r.Attempts).ToArray(),
                errors = results.Select(r => r.Error).ToArray(),
                permanents = results.Select(r => r.Permanent ? 1L : 0L).ToArray(),
                papers = results.Select(r => r.Papers).ToArray(),
            }, cancellationToken: ct));
            return;
        }
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (deferred.Count > 0) await DeferAsync(connection, tx, digestId, deferred, ct);
        // One prepared statement, its parameters bound again for each row. Through Dapper every row
        // made eight parameters anew, and Microsoft.Data.Sqlite looked each unprefixed name up under
        // three prefixes, a string and a UTF-8 copy each time: 6% of all a send allocated.
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = Record;
        Bind(command, "@now", DapperSetup.Stored(now));
        Bind(command, "@digestId", digestId);
        var status = Bind(command, "@Status");
        var attempts = Bind(command, "@Attempts");
        var error = Bind(command, "@Error");
        var permanent = Bind(command, "@Permanent");
        var subscriber = Bind(command, "@SubscriberId");
        var papers = Bind(command, "@Papers");
        foreach (var r in results)
        {
            status.Value = r.Status.ToStored();
            attempts.Value = r.Attempts;
            error.Value = (object?)r.Error ?? DBNull.Value;
            permanent.Value = r.Permanent ? 1 : 0;
            subscriber.Value = r.SubscriberId;
            papers.Value = (object?)r.Papers ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    private static DbParameter Bind(DbCommand command, string name, object? value = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public async Task<int> ReopenTransientFailuresAsync(long digestId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(ReopenTransient, new { digestId }, cancellationToken: ct));
    }

    public async Task<DeliveryCounts> CountsAsync(long digestId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleAsync<DeliveryCounts>(new CommandDefinition(Counts, new { digestId }, cancellationToken: ct));
    }
}
