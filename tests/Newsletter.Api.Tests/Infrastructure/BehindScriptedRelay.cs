namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>
/// The real service in a folder of its own, sending to a relay the test scripts (refusals, dropped
/// connections, credentials). The app's own loopback server only stands by: no mail reaches it.
/// </summary>
public abstract class BehindScriptedRelay(ScriptedSmtpServer relay) : IAsyncLifetime
{

    protected TempFolder Folder { get; } = new();

    /// <summary>The loopback server the app is made with; a test may make a second app with it.</summary>
    protected TestSmtpServer Standby { get; private set; } = null!;

    protected ScriptedSmtpServer Relay { get; } = relay;

    protected NewsletterApp App { get; private set; } = null!;

    /// <summary>Settings beside the relay's port.</summary>
    protected abstract Dictionary<string, string?> Settings { get; }

    public async Task InitializeAsync()
    {
        Standby = await TestSmtpServer.StartAsync();
        var settings = new Dictionary<string, string?>(Settings) { ["Smtp:Port"] = Relay.Port.ToString() };
        App = new NewsletterApp(Standby, Folder.Path, settings);
    }

    /// <summary>Two connections, three tries a round, milliseconds between them, a one-second command timeout.</summary>
    protected static Dictionary<string, string?> QuickRetries() => new()
    {
        ["Smtp:MaxConnections"] = "2",
        ["Smtp:MaxAttempts"] = "3",
        ["Smtp:RetryBaseDelay"] = "00:00:00.010",
        ["Smtp:Timeout"] = "00:00:01",
    };

    /// <summary>Imports a day of papers and makes its digest; returns the digest's id.</summary>
    protected async Task<long> SendDigestAsync(DateOnly date, int papers = 2)
    {
        await App.ImportAsync(PaperFixtures.Day(date, papers));
        var (status, body, _) = await App.TriggerAsync(date);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, status);
        return body.GetProperty("id").GetInt64();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Relay.DisposeAsync();
        await Standby.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Folder.Dispose();
    }
}
