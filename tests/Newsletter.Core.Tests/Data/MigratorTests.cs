using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Newsletter.Core.Data;

namespace Newsletter.Core.Tests.Data;

public sealed class MigratorTests : OwnFolder
{
    [Fact]
    public async Task FreshDatabaseGetsEverySchemaVersionInWalMode()
    {
        var db = new Db($"Data Source={Path.Combine(Folder, "fresh.db")}");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();

        await using var connection = await db.OpenAsync();
        var versions = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(versions.Distinct().Count(), versions.Count);
        Assert.Contains(1L, versions);
        Assert.Contains(2L, versions);
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task DatabaseAtAnOlderVersionUpgradesInPlaceAndKeepsItsRows()
    {
        var path = Path.Combine(Folder, "old.db");
        await using (var old = new SqliteConnection($"Data Source={path}"))
        {
            await old.OpenAsync();
            var first = await File.ReadAllTextAsync(ScriptPath("0001_subscribers.sql"));
            await old.ExecuteAsync("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);");
            await old.ExecuteAsync(first);
            await old.ExecuteAsync("INSERT INTO schema_migrations VALUES (1, '0001_subscribers', '2026-01-01T00:00:00Z')");
            await old.ExecuteAsync("""
                INSERT INTO subscribers (email, status, created_at, updated_at, subscribed_at, subscribe_source)
                VALUES ('kept@example.org', 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'api')
                """);
        }

        var db = new Db($"Data Source={path}");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();

        await using var connection = await db.OpenAsync();
        Assert.Equal("kept@example.org", await connection.ExecuteScalarAsync<string>("SELECT email FROM subscribers"));
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM papers"));
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT max(version) FROM schema_migrations") >= 2);
    }

    private static string ScriptPath(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Newsletter.sln"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "src", "Newsletter.Core", "Data", "Migrations", "Sqlite", name);
    }
}
