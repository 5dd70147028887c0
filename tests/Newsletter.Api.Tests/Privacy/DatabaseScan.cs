using System.Text;
using Dapper;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Privacy;

/// <summary>Reads every row of every table through the service's own database access, looking for a piece of text.</summary>
public static class DatabaseScan
{
    private const string SqliteTables = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
    private const string PostgresTables = """
        SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
        """;

    /// <summary>"table.column" of each value that holds <paramref name="text"/> (any case), as text or as bytes.</summary>
    public static async Task<List<string>> WhereAsync(this NewsletterApp app, string text)
    {
        var found = new List<string>();
        await using var connection = await app.Database.OpenAsync();
        var tables = (await connection.QueryAsync<string>(app.Database.IsPostgres ? PostgresTables : SqliteTables)).ToList();
        Assert.Contains("subscribers", tables);
        foreach (var table in tables)
        {
            foreach (IDictionary<string, object?> row in await connection.QueryAsync($"SELECT * FROM \"{table}\""))
            {
                found.AddRange(row.Where(c => Holds(c.Value, text)).Select(c => $"{table}.{c.Key}"));
            }
        }
        return found;
    }

    private static bool Holds(object? value, string text) => value switch
    {
        string s => s.Contains(text, StringComparison.OrdinalIgnoreCase),
        byte[] bytes => Encoding.UTF8.GetString(bytes).Contains(text, StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
