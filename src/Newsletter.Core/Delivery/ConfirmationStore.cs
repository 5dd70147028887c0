using Dapper;
using Newsletter.Core.Data;

namespace Newsletter.Core.Delivery;

/// <summary>The queue of confirmation mails is the subscriber table itself: nothing is lost on a crash.</summary>
public sealed class ConfirmationStore(Db db)
{
    public sealed record Due(long Id, string Email, long ConsentVersion, string RequestedAt);

    private const string SelectDue = """
        SELECT id, email, consent_version, confirmation_requested_at AS requestedat FROM subscribers
        WHERE status = 'pending' AND confirmation_requested_at IS NOT NULL
          AND (confirmation_answered_at IS NULL OR confirmation_answered_at < confirmation_requested_at)
        ORDER BY confirmation_requested_at LIMIT @limit
        """;

    private const string MarkSent =
        "UPDATE subscribers SET confirmation_sent_at = @now, confirmation_answered_at = @requestedAt WHERE id = @id";

    private const string MarkBounced = """
        UPDATE subscribers SET status = 'bounced', bounced_at = @now, bounce_reason = @reason, updated_at = @now
        WHERE id = @id AND status = 'pending'
        """;

    public async Task<IReadOnlyList<Due>> DueAsync(int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Due>(SelectDue, new { limit })).AsList();
    }

    public async Task MarkSentAsync(Due due, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(MarkSent, new { id = due.Id, now, requestedAt = due.RequestedAt });
    }

    public async Task MarkBouncedAsync(long id, string reason, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(MarkBounced, new { id, reason, now });
    }
}
