using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Newsletter.Core.Digests;
using Npgsql;

namespace Newsletter.Core.Data;

/// <summary>An expected reason the copy cannot go on (a source that cannot be read, a target in use): one line for the operator.</summary>
public sealed class DatabaseCopyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>One table copied: its name, the rows it holds in the target, and how long that took.</summary>
public sealed record TableCopied(string Table, long Rows, TimeSpan Elapsed);

/// <summary>What a finished copy did.</summary>
public sealed record CopySummary(long Rows, TimeSpan Elapsed);

/// <summary>
/// Moves a service from its SQLite file to PostgreSQL: every row of the service's tables, with
/// the same ids and settings, so that the tokens in mail already sent (HMACs of subscriber ids,
/// keyed by secrets in <c>settings</c>) still verify, and the digests with their delivery ledger,
/// so that no digest goes out twice. The target must be empty; the whole copy is one PostgreSQL
/// transaction, so a failure leaves it as empty as it was. This is the one writer of every table
/// besides their stores: it copies rows as they are, it makes none.
/// </summary>
public sealed class DatabaseCopy(Db source, Db target, ILoggerFactory loggers)
{
    /// <summary>
    /// The service's tables, parents before children. Not copied: schema_migrations (each engine
    /// keeps its own), send_instances (heartbeats of processes that are gone), Quartz's qrtz_*
    /// (the schedule is made again from settings at start) and SQLite's search index (PostgreSQL
    /// indexes the address column itself).
    /// </summary>
    public static readonly IReadOnlyList<string> Tables =
        ["settings", "subscribers", "consent_events", "confirmation_mails", "papers", "digests", "digest_papers", "deliveries", "votes", "bounces", "suppressions", "replies", "reply_answers"];

    /// <summary>The tables whose rows make a database in use: any row in one and the target is refused.</summary>
    private static readonly string[] InUseTables = ["settings", "subscribers", "papers", "digests"];

    // No instance of the new database holds the rows still to send; the first to send claims them.
    private const string ReleasePendingClaims = "UPDATE deliveries SET claimed_by = NULL WHERE status = @pending AND claimed_by IS NOT NULL";

    private const string TableExists = "SELECT to_regclass(@table) IS NOT NULL";

    private const string IdentityColumns = """
        SELECT table_name AS "Table", column_name AS "Column" FROM information_schema.columns
        WHERE table_schema = current_schema() AND is_identity = 'YES' AND table_name = ANY(@tables)
        """;

    public async Task<CopySummary> RunAsync(Action<TableCopied> progress, CancellationToken ct = default)
    {
        if (source.IsPostgres) throw new DatabaseCopyException("The configured database is PostgreSQL already; copy-database copies a SQLite database into PostgreSQL.");
        if (!target.IsPostgres) throw new DatabaseCopyException("The target of the copy must be a PostgreSQL database.");
        var clock = Stopwatch.StartNew();

        // At the current version first, so that its columns are the ones the PostgreSQL twin has.
        await OnSourceAsync(() => new Migrator(source, loggers.CreateLogger<Migrator>()).MigrateAsync(ct));
        await OnTargetAsync(async () =>
        {
            await RefuseIfInUseAsync(ct);
            await new Migrator(target, loggers.CreateLogger<Migrator>()).MigrateAsync(ct);
        }, "cannot be prepared");

        await using var reading = (SqliteConnection)await OnSourceAsync(() => source.OpenAsync(ct));
        // One read transaction: every table is read as of the same moment.
        await using var snapshot = reading.BeginTransaction(deferred: true);
        long rows = 0;
        await OnTargetAsync(async () =>
        {
            await using var writing = (NpgsqlConnection)await target.OpenAsync(ct);
            await using var tx = await writing.BeginTransactionAsync(ct);
            // Checked again under the transaction: a service started on the target meanwhile wrote its settings.
            await RefuseIfInUseAsync(ct, writing);
            foreach (var table in Tables)
            {
                var started = Stopwatch.GetTimestamp();
                var copied = await OnSourceAsync(() => TableCopy.RunAsync(snapshot, writing, table, ct));
                rows += copied;
                progress(new TableCopied(table, copied, Stopwatch.GetElapsedTime(started)));
            }
            await writing.ExecuteAsync(new CommandDefinition(ReleasePendingClaims, new { pending = DeliveryStatus.Pending.ToStored() }, tx, cancellationToken: ct));
            var issued = await OnSourceAsync(() => IssuedIdsAsync(snapshot, ct));
            await ContinueIdentitiesAsync(writing, tx, issued, ct);
            await tx.CommitAsync(ct);
        }, "was left as it was; the copy failed");
        await OnTargetAsync(async () =>
        {
            await using var connection = (NpgsqlConnection)await target.OpenAsync(ct);
            await TableCopy.AnalyzeAsync(connection, Tables, ct);
        }, "holds the copy, but its statistics could not be refreshed (run ANALYZE)");
        return new CopySummary(rows, clock.Elapsed);
    }

    /// <summary>Refuses a target that holds the data of a service: a copy into it would mix two.</summary>
    private async Task RefuseIfInUseAsync(CancellationToken ct, DbConnection? connection = null)
    {
        await using var owned = connection is null ? await target.OpenAsync(ct) : null;
        var open = connection ?? owned!;
        foreach (var table in InUseTables)
        {
            if (!await open.ExecuteScalarAsync<bool>(new CommandDefinition(TableExists, new { table }, cancellationToken: ct))) continue;
            if (await TableCopy.HasRowsAsync(open, table, ct))
                throw new DatabaseCopyException($"The target database is not empty (its {table} table has rows); copy-database only fills an empty database.");
        }
    }

    /// <summary>
    /// New rows (a sign-up, a digest) take ids after every id the source ever issued, not only after
    /// the copied ones: a subscriber deleted by the retention sweep still has a confirmation mail whose
    /// return path names its id (SQLite's AUTOINCREMENT keeps that high-water mark in sqlite_sequence).
    /// </summary>
    private static async Task ContinueIdentitiesAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        IReadOnlyDictionary<string, long> issued, CancellationToken ct)
    {
        var identities = await connection.QueryAsync<(string Table, string Column)>(
            new CommandDefinition(IdentityColumns, new { tables = Tables.ToArray() }, tx, cancellationToken: ct));
        foreach (var (table, column) in identities)
            await TableCopy.ContinueIdentityAsync(connection, tx, table, column, issued.GetValueOrDefault(table), ct);
    }

    private static async Task<IReadOnlyDictionary<string, long>> IssuedIdsAsync(SqliteTransaction snapshot, CancellationToken ct)
    {
        var rows = await snapshot.Connection!.QueryAsync<(string Name, long Seq)>(new CommandDefinition(
            "SELECT name, seq FROM sqlite_sequence", transaction: snapshot, cancellationToken: ct));
        return rows.ToDictionary(r => r.Name, r => r.Seq, StringComparer.Ordinal);
    }

    private static async Task<T> OnSourceAsync<T>(Func<Task<T>> step)
    {
        try { return await step(); }
        catch (SqliteException e)
        {
            throw new DatabaseCopyException($"The SQLite database cannot be read: {e.Message}", e);
        }
    }

    private static Task OnSourceAsync(Func<Task> step) => OnSourceAsync(async () => { await step(); return true; });

    private static async Task OnTargetAsync(Func<Task> step, string failure)
    {
        try { await step(); }
        catch (PostgresException e)
        {
            throw new DatabaseCopyException($"The PostgreSQL database {failure}: {e.MessageText}{(e.Detail is { } d ? $" ({d})" : "")}", e);
        }
        catch (NpgsqlException e)
        {
            throw new DatabaseCopyException($"The PostgreSQL database cannot be reached: {e.Message}", e);
        }
    }
}
