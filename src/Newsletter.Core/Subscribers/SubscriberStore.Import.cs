using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Newsletter.Core.Data;

namespace Newsletter.Core.Subscribers;

/// <summary>
/// The bulk write of an import, all or none. SQLite: one transaction, two prepared statements
/// reused for every row (a statement costs microseconds in-process). PostgreSQL: each statement is
/// a round trip, so the addresses go in as arrays, thousands per statement.
/// </summary>
public sealed partial class SubscriberStore
{
    // OR IGNORE leaves a known address exactly as it is: an import never brings back someone who left.
    private const string InsertImported = """
        INSERT OR IGNORE INTO subscribers (email, status, created_at, updated_at, subscribed_at, subscribe_source,
                                           subscribe_ip, subscribe_user_agent, confirmed_at)
        VALUES (@email, @status, @now, @now, @now, @source, @ip, @agent, @now)
        """;

    private const string InsertImportedEvent = """
        INSERT INTO consent_events (subscriber_id, event, at, source, ip, user_agent)
        VALUES (last_insert_rowid(), 'imported', @now, @source, @ip, @agent)
        """;

    // The same on PostgreSQL for a whole chunk: the new rows' ids feed their consent events.
    private const string InsertImportedPostgres = """
        WITH added AS (
            INSERT INTO subscribers (email, status, created_at, updated_at, subscribed_at, subscribe_source,
                                     subscribe_ip, subscribe_user_agent, confirmed_at)
            SELECT address, @status, @now, @now, @now, @source, @ip, @agent, @now FROM unnest(@emails) AS address
            ON CONFLICT DO NOTHING
            RETURNING id)
        INSERT INTO consent_events (subscriber_id, event, at, source, ip, user_agent)
        SELECT id, 'imported', @now, @source, @ip, @agent FROM added
        """;

    private const int PostgresChunk = 5000;

    /// <summary>
    /// Adds the addresses (valid and normalised) as active subscribers with the consent evidence of the
    /// import, all or none; returns how many were new.
    /// </summary>
    public async Task<int> ImportActiveAsync(IReadOnlyCollection<string> emails, ConsentEvidence evidence, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await BeginImmediateAsync(connection, ct);
        var now = DapperSetup.Stored(clock.GetUtcNow());
        var imported = db.IsPostgres
            ? await ImportPostgresAsync(connection, tx, emails, now, evidence, ct)
            : await ImportSqliteAsync((SqliteConnection)connection, (SqliteTransaction)tx, emails, now, evidence, ct);
        await tx.CommitAsync(ct);
        return imported;
    }

    private static async Task<int> ImportPostgresAsync(
        DbConnection connection, DbTransaction tx, IReadOnlyCollection<string> emails, string now, ConsentEvidence evidence, CancellationToken ct)
    {
        var imported = 0;
        foreach (var chunk in emails.Chunk(PostgresChunk))
        {
            imported += await connection.ExecuteAsync(new CommandDefinition(InsertImportedPostgres, new
            {
                emails = chunk, status = SubscriberStatus.Active.ToStored(), now, source = evidence.Source.ToStored(),
                ip = evidence.Ip, agent = evidence.UserAgent,
            }, tx, cancellationToken: ct));
        }
        return imported;
    }

    private static async Task<int> ImportSqliteAsync(
        SqliteConnection connection, SqliteTransaction tx, IReadOnlyCollection<string> emails, string now, ConsentEvidence evidence, CancellationToken ct)
    {
        await using var insert = ImportCommand(connection, tx, InsertImported, now, evidence);
        insert.Parameters.AddWithValue("@status", SubscriberStatus.Active.ToStored());
        var email = insert.Parameters.Add("@email", SqliteType.Text);
        await using var insertEvent = ImportCommand(connection, tx, InsertImportedEvent, now, evidence);

        var imported = 0;
        foreach (var address in emails)
        {
            email.Value = address;
            if (await insert.ExecuteNonQueryAsync(ct) == 0) continue;
            await insertEvent.ExecuteNonQueryAsync(ct);
            imported++;
        }
        return imported;
    }

    private static SqliteCommand ImportCommand(SqliteConnection connection, SqliteTransaction tx, string sql, string now, ConsentEvidence evidence)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        command.Parameters.AddWithValue("@now", now);
        command.Parameters.AddWithValue("@source", evidence.Source.ToStored());
        command.Parameters.AddWithValue("@ip", (object?)evidence.Ip ?? DBNull.Value);
        command.Parameters.AddWithValue("@agent", (object?)evidence.UserAgent ?? DBNull.Value);
        return command;
    }
}
