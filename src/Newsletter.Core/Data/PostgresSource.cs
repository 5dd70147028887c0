using System.Data.Common;
using Npgsql;

namespace Newsletter.Core.Data;

/// <summary>
/// <see cref="Db"/>'s PostgreSQL side: one Npgsql data source per process, made on first use (it
/// owns the connection pool). Kept apart from <see cref="Db"/> so that only a PostgreSQL service
/// loads Npgsql.
/// </summary>
internal sealed class PostgresSource(string connectionString) : IAsyncDisposable
{
    // Read on first use, so that a connection string Npgsql cannot read is reported by the
    // settings' validation at start (one line), not by the container building Db.
    private readonly Lazy<NpgsqlDataSource> _source = new(() =>
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "newsletter" };
        // The stores keep no session state (their locks are transaction-scoped, the migrator
        // unlocks its own), so a pooled connection needs no DISCARD ALL, a statement per open.
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        return builder.Build();
    });

    public async Task<DbConnection> OpenAsync(CancellationToken ct) => await _source.Value.OpenConnectionAsync(ct);

    public DbConnection Open() => _source.Value.OpenConnection();

    public async ValueTask DisposeAsync()
    {
        if (_source.IsValueCreated) await _source.Value.DisposeAsync();
    }
}
