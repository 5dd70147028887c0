using System.Data.Common;
using Dapper;

namespace Newsletter.Core.Data;

/// <summary>
/// A turn that only one instance of a cluster has at a time, for work that must not run twice at
/// once (the confirmation mails: each instance would send the same due requests). On PostgreSQL a
/// session advisory lock on a connection held for the turn; the server drops it if the instance
/// dies. On SQLite there is one instance, so the turn is always this one's.
/// </summary>
public sealed class ClusterLock : IAsyncDisposable
{
    private readonly DbConnection? _connection;
    private readonly long _key;

    private ClusterLock(DbConnection? connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>The turn, or null when another instance has it now.</summary>
    public static async Task<ClusterLock?> TryTakeAsync(Db db, long key, CancellationToken ct)
    {
        if (!db.IsPostgres) return new ClusterLock(null, key);
        var connection = await db.OpenAsync(ct);
        try
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@key)", new { key }, cancellationToken: ct)))
                return new ClusterLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null) return;
        try
        {
            // Explicitly: pooled connections are not reset on return (Db), so the lock would stay.
            await _connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = _key });
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
