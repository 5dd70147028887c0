using System.Data.Common;
using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Newsletter.Core.Data;

/// <summary>
/// Applies the numbered scripts under Data/Migrations/{Sqlite,Postgres} that the database has not
/// seen yet, each in its own transaction together with the row that records it, so an existing
/// database upgrades in place and a failed script leaves it as it was. Both engines have the same
/// versions, each written in its own dialect. On PostgreSQL, instances starting together take turns
/// (a session advisory lock), and Quartz's tables are created from Quartz's own script.
/// </summary>
public sealed class Migrator(Db db, ILogger<Migrator> logger)
{
    private const string CreateJournal = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    BIGINT PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );
        """;

    private const string AppliedVersions = "SELECT version FROM schema_migrations";

    private const string RecordVersion =
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)";

    // Any fixed number, the same in every instance.
    private const long MigrationLockKey = 0x6E6577736D6967;

    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        if (db.IsPostgres)
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = MigrationLockKey }, cancellationToken: ct));
        else
            // WAL lets the sender write the ledger while pages and the API read.
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        try
        {
            await connection.ExecuteAsync(CreateJournal);
            var applied = (await connection.QueryAsync<long>(AppliedVersions)).ToHashSet();
            foreach (var script in Scripts(db.IsPostgres ? "Postgres" : "Sqlite").Where(s => !applied.Contains(s.Version)))
            {
                await ApplyAsync(connection, script, ct);
                logger.LogInformation("Applied migration {Version} {Name}", script.Version, script.Name);
            }
            if (db.IsPostgres) await QuartzSchema.EnsureAsync(connection, logger, ct);
        }
        finally
        {
            if (db.IsPostgres)
                await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key)", new { key = MigrationLockKey }, cancellationToken: CancellationToken.None));
        }
    }

    private async Task ApplyAsync(DbConnection connection, Script script, CancellationToken ct)
    {
        // A SQLite script that rebuilds a table others reference says so on its first line: SQLite's
        // way is foreign keys off around the transaction, and a check of every key before commit.
        var rebuild = !db.IsPostgres && script.Sql.StartsWith(ForeignKeysOff, StringComparison.Ordinal);
        if (rebuild) await connection.ExecuteAsync("PRAGMA foreign_keys = OFF;");
        try
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: tx, cancellationToken: ct));
            if (rebuild && (await connection.QueryAsync(ForeignKeyCheck, transaction: tx)).Any())
                throw new InvalidOperationException($"Migration {script.Name} left rows whose foreign keys point nowhere.");
            await connection.ExecuteAsync(RecordVersion,
                new { script.Version, script.Name, AppliedAt = DateTimeOffset.UtcNow }, tx);
            await tx.CommitAsync(ct);
        }
        finally
        {
            if (rebuild) await connection.ExecuteAsync("PRAGMA foreign_keys = ON;");
        }
    }

    private const string ForeignKeysOff = "-- migrate: foreign-keys-off";

    private const string ForeignKeyCheck = "PRAGMA foreign_key_check";

    private sealed record Script(long Version, string Name, string Sql);

    private static IEnumerable<Script> Scripts(string dialect)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"Newsletter.Core.Data.Migrations.{dialect}.";
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            var name = resource[prefix.Length..^".sql".Length];
            var version = long.Parse(name[..name.IndexOf('_')]);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return new Script(version, name, reader.ReadToEnd());
        }
    }
}
