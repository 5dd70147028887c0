using Dapper;
using Newsletter.Core.Data;

namespace Newsletter.Core.Subscribers;

/// <summary>
/// SQL for subscribers and their consent history: the only writer of <c>subscribers</c>,
/// <c>consent_events</c> and <c>votes</c>. The confirmation queue, the import, the readers'
/// preferences and their votes live in partial files beside it.
/// </summary>
public sealed partial class SubscriberStore(Db db, TimeProvider clock)
{
    static SubscriberStore()
    {
        StoredText.Register<SubscriberStatus>();
    }

    private const string Columns = "id, email, status, consent_version, created_at, confirmed_at, unsubscribed_at";

    private const string ByEmail = $"SELECT {Columns} FROM subscribers WHERE email = @email";
    // An erased reader's tombstone is nobody: every link naming its id is as void as a forged one.
    private const string ById = $"SELECT {Columns} FROM subscribers WHERE id = @id AND status <> 'erased'";

    private const string ListByStatus = $"""
        SELECT {Columns} FROM subscribers
        WHERE status <> 'erased' AND (@status IS NULL OR status = @status) AND id > @after
        ORDER BY id LIMIT @limit
        """;

    private const string InsertPending = """
        INSERT INTO subscribers (email, status, created_at, updated_at, subscribed_at, subscribe_source,
                                 subscribe_ip, subscribe_user_agent, confirmation_requested_at)
        VALUES (@email, 'pending', @now, @now, @now, @Source, @Ip, @UserAgent, @now)
        RETURNING id
        """;

    // A repeated or renewed subscription: a new consent version voids earlier confirmation links.
    private const string Resubscribe = """
        UPDATE subscribers
        SET status = 'pending', updated_at = @now, subscribed_at = @now,
            subscribe_source = @Source, subscribe_ip = @Ip, subscribe_user_agent = @UserAgent,
            confirmation_requested_at = @now, confirmed_at = NULL,
            consent_version = consent_version + CASE WHEN status = 'pending' THEN 0 ELSE 1 END
        WHERE id = @id
        """;

    private const string Activate = """
        UPDATE subscribers
        SET status = 'active', confirmed_at = @now, updated_at = @now, confirm_ip = @Ip, confirm_user_agent = @UserAgent
        WHERE id = @id AND status = 'pending' AND consent_version = @version
        """;

    private const string MarkUnsubscribed = """
        UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = @now, updated_at = @now
        WHERE id = @id AND status IN ('pending', 'active')
        """;

    private const string MarkBounced = """
        UPDATE subscribers SET status = 'bounced', bounced_at = @now, bounce_reason = @Reason, updated_at = @now
        WHERE id = @SubscriberId AND status IN ('pending', 'active')
        """;

    private const string InsertEvent = """
        INSERT INTO consent_events (subscriber_id, event, at, source, ip, user_agent)
        VALUES (@id, @evt, @now, @Source, @Ip, @UserAgent)
        """;

    public async Task<Subscriber?> FindByEmailAsync(string email, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Subscriber>(new CommandDefinition(ByEmail, new { email }, cancellationToken: ct));
    }

    public async Task<Subscriber?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Subscriber>(new CommandDefinition(ById, new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Subscriber>> ListAsync(SubscriberStatus? status, long after, int limit, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Subscriber>(new CommandDefinition(ListByStatus,
            new { status = status?.ToStored(), after, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// Records a subscription request with the settings it gave (they replace the stored ones, the rest
    /// stay); returns the subscriber's status before it, or null if new. An active reader's row is left
    /// as it is: settings change only through their own preferences link.
    /// </summary>
    public async Task<SubscriberStatus?> RecordSubscribeAsync(
        string email, PreferenceChanges preferences, ConsentEvidence evidence, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await BeginImmediateAsync(connection, ct);
        var now = clock.GetUtcNow();
        var existing = await connection.QuerySingleOrDefaultAsync<Subscriber>(new CommandDefinition(ByEmail, new { email }, tx, cancellationToken: ct));
        if (existing?.Status != SubscriberStatus.Active)
        {
            var source = evidence.Source.ToStored();
            var id = existing?.Id ?? await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertPending,
                new { email, now, Source = source, evidence.Ip, evidence.UserAgent }, tx, cancellationToken: ct));
            if (existing is not null)
                await connection.ExecuteAsync(new CommandDefinition(Resubscribe,
                    new { id, now, Source = source, evidence.Ip, evidence.UserAgent }, tx, cancellationToken: ct));
            await ApplyPreferencesAsync(connection, tx, id, preferences, now, ct);
            await RecordEventAsync(connection, tx, id, "subscribed", now, evidence, ct);
        }
        await tx.CommitAsync(ct);
        return existing?.Status;
    }

    public async Task<bool> ActivateAsync(long id, long version, ConsentEvidence evidence, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await BeginImmediateAsync(connection, ct);
        var now = clock.GetUtcNow();
        var changed = await connection.ExecuteAsync(new CommandDefinition(Activate,
            new { id, version, now, evidence.Ip, evidence.UserAgent }, tx, cancellationToken: ct)) == 1;
        if (changed) await RecordEventAsync(connection, tx, id, "confirmed", now, evidence, ct);
        await tx.CommitAsync(ct);
        return changed;
    }

    public Task<bool> UnsubscribeAsync(long id, ConsentEvidence evidence, CancellationToken ct = default) =>
        LeaveAsync(id, "unsubscribed", evidence, ct);

    /// <summary>The reader reported a message as spam: they leave as by unsubscribing, the history says why.</summary>
    public Task<bool> ComplainAsync(long id, CancellationToken ct = default) =>
        LeaveAsync(id, "complaint", new ConsentEvidence(ConsentSource.FeedbackLoop, null, null), ct);

    private async Task<bool> LeaveAsync(long id, string evt, ConsentEvidence evidence, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await BeginImmediateAsync(connection, ct);
        var now = clock.GetUtcNow();
        var changed = await connection.ExecuteAsync(new CommandDefinition(MarkUnsubscribed, new { id, now }, tx, cancellationToken: ct)) == 1;
        if (changed) await RecordEventAsync(connection, tx, id, evt, now, evidence, ct);
        await tx.CommitAsync(ct);
        return changed;
    }

    /// <summary>A recipient's server refused mail for good: nothing more is sent to them.</summary>
    public async Task<int> MarkBouncedAsync(IReadOnlyList<Bounce> bounces, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var changed = await connection.ExecuteAsync(new CommandDefinition(MarkBounced,
            bounces.Select(b => new { b.SubscriberId, b.Reason, now }), tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return changed;
    }

    private static Task RecordEventAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, long id, string evt, DateTimeOffset now,
        ConsentEvidence evidence, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(InsertEvent,
            new { id, evt, now, Source = evidence.Source.ToStored(), evidence.Ip, evidence.UserAgent }, tx, cancellationToken: ct));

    /// <summary>A transaction holding the write lock from its start, so a read-then-write cannot race another writer (see <see cref="Db.BeginWriteAsync"/>).</summary>
    private Task<System.Data.Common.DbTransaction> BeginImmediateAsync(System.Data.Common.DbConnection connection, CancellationToken ct) =>
        db.BeginWriteAsync(connection, ct);
}

/// <summary>A permanent refusal for one subscriber, with the relay's words.</summary>
public sealed record Bounce(long SubscriberId, string Reason);
