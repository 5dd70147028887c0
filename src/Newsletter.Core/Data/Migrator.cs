using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Newsletter.Core.Data;

/// <summary>
/// Applies the numbered scripts under Data/Migrations that the database has not seen yet, each in
/// its own transaction together with the row that records it, so an existing file upgrades in place
/// and a failed script leaves the database as it was.
/// </summary>
public sealed class Migrator(Db db, ILogger<Migrator> logger)
{
    private const string CreateJournal = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );
        """;

    private const string AppliedVersions = "SELECT version FROM schema_migrations";

    private const string RecordVersion =
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)";

    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        // WAL lets the sender write the ledger while pages and the API read.
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        await connection.ExecuteAsync(CreateJournal);
        var applied = (await connection.QueryAsync<long>(AppliedVersions)).ToHashSet();

        foreach (var script in Scripts().Where(s => !applied.Contains(s.Version)))
        {
            // A script that rebuilds a table others reference says so on its first line: SQLite's
            // way is foreign keys off around the transaction, and a check of every key before commit.
            var rebuild = script.Sql.StartsWith(ForeignKeysOff, StringComparison.Ordinal);
            if (rebuild) await connection.ExecuteAsync("PRAGMA foreign_keys = OFF;");
            try
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                await connection.ExecuteAsync(script.Sql, transaction: tx);
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
            logger.LogInformation("Applied migration {Version} {Name}", script.Version, script.Name);
        }
    }

    private const string ForeignKeysOff = "-- migrate: foreign-keys-off";

    private const string ForeignKeyCheck = "PRAGMA foreign_key_check";

    private sealed record Script(long Version, string Name, string Sql);

    private static IEnumerable<Script> Scripts()
    {
        var assembly = typeof(Migrator).Assembly;
        const string prefix = "Newsletter.Core.Data.Migrations.";
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
