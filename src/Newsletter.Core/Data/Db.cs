using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Newsletter.Core.Options;

namespace Newsletter.Core.Data;

/// <summary>
/// Opens connections to the service's database, each set up the same way: a SQLite file (one
/// instance) or PostgreSQL (several instances sharing it). The stores' SQL is written once for both
/// where the two engines agree; where they do not, a store picks its text with <see cref="IsPostgres"/>.
/// </summary>
public sealed class Db : IAsyncDisposable
{
    private readonly Lazy<string>? _sqlite;
    // Npgsql's types are named only inside PostgresSource, so that a SQLite service never loads
    // Npgsql (~1 MB of mapped assembly, and its types and code): bench/README.md, issue 9.
    private readonly PostgresSource? _postgres;

    static Db() => DapperSetup.Register();

    public Db(string connectionString, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        Provider = provider;
        // Both read on first use, so that a connection string the engine cannot read is reported by
        // the settings' validation at start (one line), not by the container building this class.
        if (provider == DatabaseProvider.Postgres)
        {
            _postgres = new PostgresSource(connectionString);
            return;
        }
        // Pooling keeps the per-open cost low; the busy timeout lets writers queue instead of failing.
        _sqlite = new Lazy<string>(() => new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = 30 }.ToString());
    }

    public DatabaseProvider Provider { get; }

    public bool IsPostgres => Provider == DatabaseProvider.Postgres;

    // secure_delete: whatever a write frees (a cell, a page) is zeroed, so an erased reader's address
    // does not linger in the file's free space, nor do the trigrams the address search's merges free
    // (README, Your data). Sends rewrite ledger rows in place and free little: see bench/README.md.
    private const string SqliteSetup = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;";

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null) return await _postgres.OpenAsync(ct);
        var connection = new SqliteConnection(_sqlite!.Value);
        try
        {
            await connection.OpenAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(SqliteSetup, cancellationToken: ct));
            return connection;
        }
        catch
        {
            // Not handed out, so nobody else would close it; a pooled connection goes back to the pool.
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// For the few callers that cannot await (a metrics callback). Not a replacement for
    /// <see cref="OpenAsync"/>: with every caller on this form a 100,000 send was 6-13% slower in the
    /// same runs (bench/README.md, issue 10), though Microsoft.Data.Sqlite is synchronous underneath.
    /// </summary>
    public DbConnection Open()
    {
        if (_postgres is not null) return _postgres.Open();
        var connection = new SqliteConnection(_sqlite!.Value);
        try
        {
            connection.Open();
            connection.Execute(SqliteSetup);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A transaction that holds the database's write lock from its start, so that a read followed
    /// by a write cannot race another writer: Microsoft.Data.Sqlite begins IMMEDIATE transactions;
    /// on PostgreSQL one transaction-scoped advisory lock plays the part of SQLite's single writer.
    /// </summary>
    public async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct)
    {
        var tx = await connection.BeginTransactionAsync(ct);
        if (IsPostgres)
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = WriteLockKey }, tx, cancellationToken: ct));
        return tx;
    }

    // Any fixed number, shared by every instance: "newsletter" in ASCII.
    private const long WriteLockKey = 0x6E6577736C6574;

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}
