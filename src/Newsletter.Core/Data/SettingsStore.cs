using Dapper;

namespace Newsletter.Core.Data;

/// <summary>Values the service must keep across restarts: generated keys and secrets, and small bits of progress.</summary>
public sealed class SettingsStore(Db db)
{
    private const string Get = "SELECT value FROM settings WHERE key = @key";

    // Insert unless present, then read back: two processes starting together agree on the first value.
    private const string InsertIfMissing = "INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO NOTHING";

    private const string Upsert = """
        INSERT INTO settings (key, value) VALUES (@key, @value)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value
        """;

    public async Task<string?> GetAsync(string key, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(Get, new { key }, cancellationToken: ct));
    }

    public async Task SetAsync(string key, string value, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Upsert, new { key, value }, cancellationToken: ct));
    }

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
