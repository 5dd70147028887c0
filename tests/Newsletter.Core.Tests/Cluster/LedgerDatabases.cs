using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Data;
using Newsletter.Core.Options;

namespace Newsletter.Core.Tests.Cluster;

/// <summary>A migrated database on either engine, with a digest whose ledger has readers 1..n, for the claim tests.</summary>
public static class LedgerDatabases
{
    public static async Task<Db> CreateAsync(DatabaseProvider provider, string folder, int readers)
    {
        var db = provider == DatabaseProvider.Postgres
            ? new Db(await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("claims"), DatabaseProvider.Postgres)
            : new Db($"Data Source={Path.Combine(folder, "claims.db")}");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        await using var connection = await db.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO subscribers (email, status, created_at, updated_at, subscribed_at, subscribe_source)
            VALUES (@email, 'active', '2026-11-29', '2026-11-29', '2026-11-29', 'import')
            """, Enumerable.Range(1, readers).Select(i => new { email = $"reader{i:00000}@example.org" }), tx);
        await connection.ExecuteAsync("""
            INSERT INTO digests (id, date, edition, status, subject, html_body, text_body, archive_html, created_at, slot_marker)
            VALUES (1, '2026-11-29', 'daily', 'sending', 's', 'h', 't', 'a', '2026-11-29', 'm')
            """, transaction: tx);
        await connection.ExecuteAsync("INSERT INTO deliveries (digest_id, subscriber_id) SELECT 1, id FROM subscribers", transaction: tx);
        await tx.CommitAsync();
        return db;
    }
}
