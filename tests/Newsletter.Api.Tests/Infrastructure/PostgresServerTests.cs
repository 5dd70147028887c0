using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>The test PostgreSQL server that the PostgreSQL run of both suites stands on.</summary>
public sealed class PostgresServerTests
{
    [Fact]
    public async Task EveryCallerInTheProcessGetsTheSameRunningServer()
    {
        var servers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(PostgresServer.SharedAsync)));

        Assert.All(servers, s => Assert.Same(servers[0], s));
        Assert.Equal(servers[0], await PostgresServer.SharedAsync());
        Assert.True(await AcceptsConnectionsAsync(servers[0].Port));
    }

    [Fact]
    public async Task ANewDatabaseAnswersQueriesThroughNpgsql()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("answers");

        var (database, version) = await QueryAsync(connectionString, "SELECT current_database(), current_setting('server_version_num')",
            r => (r.GetString(0), int.Parse(r.GetString(1))));

        Assert.Equal(new NpgsqlConnectionStringBuilder(connectionString).Database, database);
        Assert.StartsWith("answers_", database);
        Assert.InRange(version, 150000, 159999);
    }

    [Fact]
    public async Task TwoDatabasesDoNotSeeEachOthersTables()
    {
        var server = await PostgresServer.SharedAsync();
        var first = await server.CreateDatabaseAsync();
        var second = await server.CreateDatabaseAsync();
        const string createSubscribers = "CREATE TABLE subscribers (email text PRIMARY KEY)";
        const string insertSubscriber = "INSERT INTO subscribers (email) VALUES ('reader@example.org')";
        const string countSubscribers = "SELECT count(*) FROM subscribers";

        Assert.NotEqual(first, second);
        await ExecuteAsync(first, createSubscribers);
        await ExecuteAsync(first, insertSubscriber);
        // The same table again in the second database: it exists only in the first.
        await ExecuteAsync(second, createSubscribers);

        Assert.Equal(1L, await QueryAsync(first, countSubscribers, r => r.GetInt64(0)));
        Assert.Equal(0L, await QueryAsync(second, countSubscribers, r => r.GetInt64(0)));
    }

    [Fact]
    public async Task TrigramsCaseInsensitiveTextAndIcuCollationsWork()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("extensions");
        await ExecuteAsync(connectionString, "CREATE EXTENSION pg_trgm");
        await ExecuteAsync(connectionString, "CREATE EXTENSION citext");
        await ExecuteAsync(connectionString, "CREATE COLLATION case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false)");

        await ExecuteAsync(connectionString, "CREATE TABLE readers (email citext PRIMARY KEY, city text COLLATE case_insensitive)");
        await ExecuteAsync(connectionString, "INSERT INTO readers VALUES ('Reader@Example.org', 'Zürich')");
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connectionString, "INSERT INTO readers VALUES ('reader@EXAMPLE.ORG', 'Bern')"));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);

        // ICU folds case beyond ASCII but, at level 2, keeps accents apart.
        Assert.Equal(1L, await QueryAsync(connectionString, "SELECT count(*) FROM readers WHERE city = 'ZÜRICH'", r => r.GetInt64(0)));
        Assert.Equal(0L, await QueryAsync(connectionString, "SELECT count(*) FROM readers WHERE city = 'Zurich'", r => r.GetInt64(0)));

        await ExecuteAsync(connectionString, "CREATE TABLE papers (title text)");
        await ExecuteAsync(connectionString, "CREATE INDEX papers_title_trigrams ON papers USING gin (title gin_trgm_ops)");
        await ExecuteAsync(connectionString, "INSERT INTO papers VALUES ('Scaling Transformers'), ('Diffusion Models')");
        Assert.Equal("Scaling Transformers", await QueryAsync(connectionString, "SELECT title FROM papers WHERE title % 'scaling transformer'", r => r.GetString(0)));
    }

    [Fact]
    public async Task ADroppedDatabaseIsGoneEvenWithConnectionsStillOpen()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("dropped");
        await using var stillOpen = new NpgsqlConnection(connectionString);
        await stillOpen.OpenAsync();

        await server.DropDatabaseAsync(connectionString);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connectionString, "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidCatalogName, refused.SqlState);
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        Assert.Equal(0L, await QueryAsync(server.ConnectionString("postgres"), "SELECT count(*) FROM pg_database WHERE datname = @name", r => r.GetInt64(0),
            new NpgsqlParameter("name", name)));
    }

    [Fact]
    public async Task AServerWhoseTestProcessDiedIsStoppedAndItsFolderDeleted()
    {
        await using var server = await PostgresServer.StartAsync();
        var connectionString = await server.CreateDatabaseAsync("abandoned");
        Assert.True(Directory.Exists(server.Folder));

        server.AbandonToWatchdog();

        await WaitUntilAsync(() => !Directory.Exists(server.Folder));
        Assert.False(await AcceptsConnectionsAsync(server.Port));
        NpgsqlConnection.ClearAllPools();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(connectionString, "SELECT 1"));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> QueryAsync<T>(string connectionString, string sql, Func<NpgsqlDataReader, T> read, params NpgsqlParameter[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "The query returned no row: " + sql);
        var value = read(reader);
        Assert.False(await reader.ReadAsync(), "The query returned more than one row: " + sql);
        return value;
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A folder's deletion sends no event a test can await; looks every 50 ms for up to 30 s.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition()) await Task.Delay(50, timeout.Token);
    }
}
