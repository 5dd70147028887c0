using Dapper;

namespace Newsletter.Core.Subscribers;

/// <summary>
/// What is kept only for a while: sign-ups nobody confirmed, and the IP addresses in the evidence of
/// consent. Each statement can run twice, or on two instances at once, and the second finds nothing.
/// </summary>
public sealed partial class SubscriberStore
{
    // Never confirmed: the address's whole history is sign-up requests (an imported, confirmed or
    // departed reader has more, and a reader who left and signed up again keeps their past). A sign-up
    // whose confirmation mail bounced is as unconfirmed as one nobody answered.
    private const string StalePending = """
        SELECT s.id FROM subscribers s
        WHERE s.status IN ('pending', 'bounced') AND s.confirmed_at IS NULL AND s.subscribed_at < @cutoff
          AND NOT EXISTS (SELECT 1 FROM consent_events e WHERE e.subscriber_id = s.id AND e.event <> 'subscribed')
          AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.subscriber_id = s.id)
        """;

    // Bounces go with the row (ON DELETE CASCADE); a pending sign-up has no votes that count, but a
    // vote from its own links would block the delete.
    private static readonly string[] DeleteStalePending =
    [
        $"DELETE FROM consent_events WHERE subscriber_id IN ({StalePending})",
        $"DELETE FROM confirmation_mails WHERE subscriber_id IN ({StalePending})",
        $"DELETE FROM votes WHERE subscriber_id IN ({StalePending})",
    ];

    private const string DeleteStalePendingRows = $"DELETE FROM subscribers WHERE id IN ({StalePending})";

    private const string DropEventIps = "UPDATE consent_events SET ip = NULL WHERE ip IS NOT NULL AND at < @cutoff";

    private const string DropSubscribeIps = "UPDATE subscribers SET subscribe_ip = NULL WHERE subscribe_ip IS NOT NULL AND subscribed_at < @cutoff";

    // A confirmation's IP whose time was cleared by a later sign-up belongs to a consent already replaced.
    private const string DropConfirmIps = """
        UPDATE subscribers SET confirm_ip = NULL
        WHERE confirm_ip IS NOT NULL AND (confirmed_at IS NULL OR confirmed_at < @cutoff)
        """;

    /// <summary>
    /// Deletes sign-ups requested before <paramref name="cutoff"/> and never confirmed, with their
    /// history (they never consented: nothing is kept, not even a hash); returns how many.
    /// </summary>
    public async Task<int> DeleteUnconfirmedAsync(DateTimeOffset cutoff, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        // The write lock keeps a confirmation from landing between the history's delete and the row's.
        await using var tx = await BeginImmediateAsync(connection, ct);
        foreach (var sql in DeleteStalePending)
            await connection.ExecuteAsync(new CommandDefinition(sql, new { cutoff }, tx, cancellationToken: ct));
        var deleted = await connection.ExecuteAsync(new CommandDefinition(DeleteStalePendingRows, new { cutoff }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return deleted;
    }

    /// <summary>Forgets the IP addresses recorded before <paramref name="cutoff"/>; returns how many were dropped.</summary>
    public async Task<int> DropIpsAsync(DateTimeOffset cutoff, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var dropped = 0;
        foreach (var sql in new[] { DropEventIps, DropSubscribeIps, DropConfirmIps })
            dropped += await connection.ExecuteAsync(new CommandDefinition(sql, new { cutoff }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return dropped;
    }
}
