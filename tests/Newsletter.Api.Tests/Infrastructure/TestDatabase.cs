namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>
/// Which database this test run gives the service: <c>NEWSLETTER_TEST_DATABASE=Sqlite</c> (the
/// default) or <c>Postgres</c>. The same suite runs on both; tests that read the SQLite file
/// itself carry <see cref="SqliteOnlyAttribute"/> and the PostgreSQL run leaves them out with
/// <c>dotnet test --filter "Database!=SqliteOnly"</c>.
/// </summary>
public static class TestDatabase
{
    public const string Variable = "NEWSLETTER_TEST_DATABASE";

    public static bool IsPostgres => Chosen() == "Postgres";

    /// <summary>The service's database settings for a test app whose files live in <paramref name="folder"/>.</summary>
    public static async Task<IDictionary<string, string?>> SettingsAsync(string folder)
    {
        if (!IsPostgres)
            return new Dictionary<string, string?> { ["ConnectionStrings:Newsletter"] = $"Data Source={Path.Combine(folder, "newsletter.db")}" };
        var server = await PostgresServer.SharedAsync();
        return new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Newsletter"] = await server.CreateDatabaseAsync(Path.GetFileName(folder.TrimEnd('/'))),
        };
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<IDictionary<string, string?>>> PerFolder = new();

    /// <summary>
    /// The settings of the database that belongs to <paramref name="folder"/>: the same for every app
    /// started on that folder, so a test that restarts the service finds its data again.
    /// </summary>
    public static IDictionary<string, string?> For(string folder) =>
        PerFolder.GetOrAdd(Path.GetFullPath(folder), f => new Lazy<IDictionary<string, string?>>(
            () => SettingsAsync(f).GetAwaiter().GetResult())).Value;

    /// <summary>The database of <paramref name="folder"/> opened from outside the service (for a service run as its own process).</summary>
    public static Newsletter.Core.Data.Db Open(string folder)
    {
        var settings = For(folder);
        return new Newsletter.Core.Data.Db(settings["ConnectionStrings:Newsletter"]!,
            IsPostgres ? Newsletter.Core.Options.DatabaseProvider.Postgres : Newsletter.Core.Options.DatabaseProvider.Sqlite);
    }

    /// <summary>
    /// Drops the PostgreSQL database those settings name, when a test app is disposed (the SQLite
    /// file goes with its folder). Settings without one are left alone.
    /// </summary>
    public static async Task DropAsync(IDictionary<string, string?> settings)
    {
        if (settings.TryGetValue("Database:Provider", out var provider) && provider == "Postgres"
            && settings.TryGetValue("ConnectionStrings:Newsletter", out var connectionString) && connectionString is not null)
            await (await PostgresServer.SharedAsync()).DropDatabaseAsync(connectionString);
    }

    private static string Chosen() => Environment.GetEnvironmentVariable(Variable) switch
    {
        null or "" => "Sqlite",
        var value when value.Equals("Sqlite", StringComparison.OrdinalIgnoreCase) => "Sqlite",
        var value when value.Equals("Postgres", StringComparison.OrdinalIgnoreCase) => "Postgres",
        var value => throw new InvalidOperationException($"{Variable}={value}: expected Sqlite or Postgres."),
    };
}
