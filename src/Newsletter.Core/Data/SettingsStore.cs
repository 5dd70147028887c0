using Dapper;

namespace Newsletter.Core.Data;

/// <summary>Values the service generates once and must keep across restarts (keys, secrets).</summary>
public sealed class SettingsStore(Db db)
{
    private const string Get = "SELECT value FROM settings WHERE key = @key";

    // INSERT OR IGNORE then read back: two processes starting together agree on the first value.
    private const string InsertIfMissing = "INSERT OR IGNORE INTO settings (key, value) VALUES (@key, @value)";

    /// <summary>Returns the stored value, storing <paramref name="create"/>'s result first if there is none.</summary>
    public async Task<(string Value, bool Created)> GetOrAddAsync(string key, Func<string> create, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var candidate = create();
        var inserted = await connection.ExecuteAsync(InsertIfMissing, new { key, value = candidate });
        var value = await connection.QuerySingleAsync<string>(Get, new { key });
        return (value, inserted == 1);
    }
}
