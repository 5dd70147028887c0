using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Newsletter.Core.Data;

/// <summary>
/// <see cref="Db"/>'s PostgreSQL side: one Npgsql data source per process, made on first use (it
/// owns the connection pool). Kept apart from <see cref="Db"/> so that only a PostgreSQL service
/// loads Npgsql.
/// </summary>
internal sealed class PostgresSource(string connectionString) : IAsyncDisposable
{
    // Made on first use: see Db's constructor.
    private readonly Lazy<NpgsqlDataSource> _source = new(() =>
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "newsletter" };
        // The stores keep no session state (their locks are transaction-scoped, the migrator
        // unlocks its own), so a pooled connection needs no DISCARD ALL, a statement per open.
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        return builder.Build();
    });

    // Never inlined into Db's methods: once Db.OpenAsync is hot, its optimised recompilation would
    // otherwise take this method's body in, and with it Npgsql's types (the JIT loads Npgsql then,
    // in the middle of a SQLite send: bench/README.md, issue 9).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async Task<DbConnection> OpenAsync(CancellationToken ct) => await _source.Value.OpenConnectionAsync(ct);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public DbConnection Open() => _source.Value.OpenConnection();

    public async ValueTask DisposeAsync()
    {
        if (_source.IsValueCreated) await _source.Value.DisposeAsync();
    }
}
