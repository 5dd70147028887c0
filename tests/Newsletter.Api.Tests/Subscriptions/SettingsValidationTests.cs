using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Subscriptions;

/// <summary>A wrong setting stops the service at start, naming the key, instead of failing later.</summary>
public sealed class SettingsValidationTests : OwnFolderAndSmtp
{
    [Theory]
    [InlineData("Newsletter:From", "not an address")]
    [InlineData("Newsletter:PublicBaseUrl", "ftp://example.org")]
    [InlineData("Digest:Cron", "every morning")]
    [InlineData("Digest:TimeZone", "Mars/Olympus_Mons")]
    [InlineData("Smtp:MaxConnections", "0")]
    [InlineData("PaperSources:HuggingFace:Cron", "0 0 25 * * ?")]
    [InlineData("Bounces:Cron", "every ten minutes")]
    [InlineData("Bounces:Imap:Port", "0")]
    [InlineData("Replies:Domain", "replies example.org")]
    [InlineData("Replies:Imap:Port", "0")]
    [InlineData("Database:Provider", "Mysql")]
    [InlineData("Privacy:PendingRetentionDays", "0")]
    [InlineData("Privacy:IpRetentionDays", "-5")]
    public async Task AnInvalidSettingStopsTheStartNamingTheKey(string key, string value)
    {
        var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
        settings[key] = value;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(Folder.Path, settings));

        Assert.Contains("The service exited", error.Message);
        Assert.Contains(key.Split(':')[^1], error.Message);
        Assert.DoesNotContain("Now listening", error.Message);
    }

    [Fact]
    public async Task APostgreSqlServerThatDoesNotAnswerStopsTheStartWithOneLine()
    {
        var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
        settings["Database:Provider"] = "Postgres";
        settings["ConnectionStrings:Newsletter"] = $"Host=127.0.0.1;Port={ClosedPort()};Database=newsletter;Username=newsletter;Timeout=3";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(Folder.Path, settings));

        Assert.Contains("exited with code 2", error.Message);
        Assert.Contains("PostgreSQL database of ConnectionStrings:Newsletter does not answer", error.Message);
        Assert.DoesNotContain("   at ", error.Message);
    }

    [Fact]
    public async Task PostgresWithoutAnNpgsqlConnectionStringIsRefusedAtStart()
    {
        var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
        settings["Database:Provider"] = "Postgres";
        settings["ConnectionStrings:Newsletter"] = "Data Source=newsletter.db";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(Folder.Path, settings));

        Assert.Contains("ConnectionStrings:Newsletter", error.Message);
        Assert.DoesNotContain("Now listening", error.Message);
    }

    [Fact]
    public async Task AnNpgsqlConnectionStringWithoutThePostgresProviderIsRefusedAtStart()
    {
        var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
        settings["Database:Provider"] = "Sqlite";
        settings["ConnectionStrings:Newsletter"] = "Host=db.example.org;Database=newsletter;Username=newsletter";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(Folder.Path, settings));

        Assert.Contains("exited with code 2", error.Message);
        Assert.Contains("set Database:Provider to Postgres", error.Message);
    }

    /// <summary>A port nothing listens on: bound once by the OS and released.</summary>
    private static int ClosedPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}
