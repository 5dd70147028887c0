using Dapper;
using Newsletter.Core.Data;

namespace Newsletter.Core.Subscribers;

/// <summary>
/// Erasure: the reader's row becomes an anonymous tombstone, their history goes, and the hash of
/// their address joins the suppression list (table <c>suppressions</c>, written only here).
/// </summary>
public sealed partial class SubscriberStore
{
    private const string DeleteVotesOf = "DELETE FROM votes WHERE subscriber_id = @id";
    private const string DeleteEventsOf = "DELETE FROM consent_events WHERE subscriber_id = @id";
    private const string DeleteConfirmationMailsOf = "DELETE FROM confirmation_mails WHERE subscriber_id = @id";
    private const string DeleteRepliesOf = "DELETE FROM replies WHERE subscriber_id = @id";
    private const string DeleteReplyAnswersOf = "DELETE FROM reply_answers WHERE subscriber_id = @id";

    // Kept: the id (the ledger's rows point at it), the source and the dates of joining, confirming,
    // leaving and bouncing (the console's activity chart counts them; without an address they name
    // nobody). A new consent version voids every link that carries one; the rest find no row by id.
    private const string Anonymise = """
        UPDATE subscribers
        SET email = @placeholder, status = 'erased', consent_version = consent_version + 1, updated_at = @now,
            unsubscribed_at = coalesce(unsubscribed_at, @now), topics = NULL, muted_topics = NULL,
            frequency = 'daily', weekday = 'monday', max_papers = NULL, require_code = 0, send_hour = NULL, time_zone = NULL,
            subscribe_ip = NULL, subscribe_user_agent = NULL, confirm_ip = NULL, confirm_user_agent = NULL, bounce_reason = NULL,
            confirmation_requested_at = NULL, confirmation_sent_at = NULL, confirmation_answered_at = NULL,
            confirmation_attempts = 0, confirmation_retry_at = NULL
        WHERE id = @id AND status <> 'erased'
        """;

    private const string Suppress = """
        INSERT INTO suppressions (address_hash, erased_at) VALUES (@hash, @now)
        ON CONFLICT (address_hash) DO UPDATE SET erased_at = excluded.erased_at
        """;

    private const string Unsuppress = "DELETE FROM suppressions WHERE address_hash = @hash";

    private const string AnySuppressed = "SELECT EXISTS (SELECT 1 FROM suppressions)";

    private const string SuppressedAmong = "SELECT address_hash FROM suppressions WHERE address_hash IN @hashes";
    private const string SuppressedAmongPostgres = "SELECT address_hash FROM suppressions WHERE address_hash = ANY(@hashes)";

    // Dapper expands IN @hashes into one parameter each on SQLite, whose statements take at most 32,766.
    private const int HashesPerQuery = 1000;

    /// <summary>
    /// Erases the subscriber <paramref name="id"/> and suppresses <paramref name="addressHash"/>, in the
    /// erasure's transaction (Privacy/ReaderErasure, which also clears the ledger and the
    /// bounces in it); false when there is no such subscriber (or they were erased already).
    /// </summary>
    public async Task<bool> EraseAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx,
        long id, string addressHash, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var args = new { id, now, hash = addressHash, placeholder = $"erased:{id}" };
        if (await connection.ExecuteAsync(new CommandDefinition(Anonymise, args, tx, cancellationToken: ct)) == 0) return false;
        foreach (var sql in new[] { DeleteVotesOf, DeleteEventsOf, DeleteConfirmationMailsOf, DeleteRepliesOf, DeleteReplyAnswersOf, Suppress })
            await connection.ExecuteAsync(new CommandDefinition(sql, args, tx, cancellationToken: ct));
        return true;
    }

    /// <summary>The person consented again (a new sign-up, confirmed): their address is no longer suppressed.</summary>
    public async Task LiftSuppressionAsync(string addressHash, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Unsuppress, new { hash = addressHash }, cancellationToken: ct));
    }

    /// <summary>True when anyone was ever erased: an import of a million rows then hashes each address, else none.</summary>
    public async Task<bool> AnySuppressedAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(AnySuppressed, cancellationToken: ct));
    }

    /// <summary>The hashes among <paramref name="hashes"/> that are on the suppression list.</summary>
    public async Task<HashSet<string>> SuppressedAsync(IReadOnlyCollection<string> hashes, CancellationToken ct = default)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await db.OpenAsync(ct);
        foreach (var chunk in hashes.Chunk(HashesPerQuery))
        {
            var sql = db.IsPostgres ? SuppressedAmongPostgres : SuppressedAmong;
            found.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(sql, new { hashes = chunk }, cancellationToken: ct)));
        }
        return found;
    }
}
