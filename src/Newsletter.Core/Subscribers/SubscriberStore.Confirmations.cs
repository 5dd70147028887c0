using Dapper;

namespace Newsletter.Core.Subscribers;

/// <summary>A subscription request waiting for its confirmation mail.</summary>
public sealed class DueConfirmation
{
    public long Id { get; init; }
    public string Email { get; init; } = "";
    public long ConsentVersion { get; init; }

    /// <summary>The request this mail answers, as stored (compared as text).</summary>
    public string RequestedAt { get; init; } = "";

    /// <summary>Rounds of tries that were deferred so far.</summary>
    public long Attempts { get; init; }

    /// <summary>Confirmation mails sent to the address in the last 24 hours.</summary>
    public long SentToday { get; init; }
}

/// <summary>
/// The queue of confirmation mails is the subscriber table itself: nothing is lost on a crash. A
/// request is due once no mail went to the address in the quiet period before it, and after the
/// wait of a deferred try.
/// </summary>
public sealed partial class SubscriberStore
{
    private const string SelectDueConfirmations = """
        SELECT s.id, s.email, s.consent_version, s.confirmation_requested_at AS requestedat, s.confirmation_attempts AS attempts,
               (SELECT count(*) FROM confirmation_mails m WHERE m.subscriber_id = s.id AND m.sent_at > @daySince) AS senttoday
        FROM subscribers s
        WHERE s.status = 'pending' AND s.confirmation_requested_at IS NOT NULL
          AND (s.confirmation_answered_at IS NULL OR s.confirmation_answered_at < s.confirmation_requested_at)
          AND (s.confirmation_retry_at IS NULL OR s.confirmation_retry_at <= @now)
          AND NOT EXISTS (SELECT 1 FROM confirmation_mails m WHERE m.subscriber_id = s.id AND m.sent_at > @quietSince)
        ORDER BY s.confirmation_requested_at
        LIMIT @limit
        """;

    // Answered: the request this mail was for is done; a request made while it was sent is newer and stays due.
    private const string MarkConfirmationSent = """
        UPDATE subscribers SET confirmation_sent_at = @now, confirmation_answered_at = @RequestedAt,
            confirmation_attempts = 0, confirmation_retry_at = NULL
        WHERE id = @Id
        """;

    private const string InsertConfirmationMail = "INSERT INTO confirmation_mails (subscriber_id, sent_at) VALUES (@Id, @now)";

    private const string MarkConfirmationAnswered = """
        UPDATE subscribers SET confirmation_answered_at = @RequestedAt, confirmation_attempts = 0, confirmation_retry_at = NULL
        WHERE id = @Id
        """;

    private const string DeferConfirmation = """
        UPDATE subscribers SET confirmation_attempts = confirmation_attempts + 1, confirmation_retry_at = @retryAt WHERE id = @Id
        """;

    public async Task<IReadOnlyList<DueConfirmation>> DueConfirmationsAsync(
        int limit, TimeSpan quietPeriod, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<DueConfirmation>(new CommandDefinition(SelectDueConfirmations,
            new { limit, now, quietSince = now - quietPeriod, daySince = now - TimeSpan.FromDays(1) }, cancellationToken: ct))).AsList();
    }

    /// <summary>Records the mails that went out, in one transaction.</summary>
    public async Task ConfirmationsSentAsync(IReadOnlyList<(DueConfirmation Request, DateTimeOffset At)> sent, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var rows = sent.Select(s => new { s.Request.Id, s.Request.RequestedAt, now = s.At }).ToList();
        await connection.ExecuteAsync(new CommandDefinition(MarkConfirmationSent, rows, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(InsertConfirmationMail, rows, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>The request is settled without a mail (the daily limit, or the tries ran out).</summary>
    public async Task ConfirmationAnsweredWithoutMailAsync(DueConfirmation due, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(MarkConfirmationAnswered, new { due.Id, due.RequestedAt }, cancellationToken: ct));
    }

    /// <summary>The mail was deferred: try this address again at <paramref name="retryAt"/>, the others meanwhile.</summary>
    public async Task DeferConfirmationAsync(DueConfirmation due, DateTimeOffset retryAt, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(DeferConfirmation, new { due.Id, retryAt }, cancellationToken: ct));
    }
}
