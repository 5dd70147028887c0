using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>
/// The real service (its whole HTTP pipeline, a SQLite file in a folder of its own, and a real
/// SMTP server on loopback), configured the way an operator would with settings.
/// </summary>
public sealed class NewsletterApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string BaseUrl = "http://newsletter.test";

    private readonly Dictionary<string, string?> _settings;

    /// <param name="clock">A fake clock for tests that wait on time; null: the real one.</param>
    public NewsletterApp(TestSmtpServer smtp, string folder, IDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        Clock = clock;
        Smtp = smtp;
        Folder = folder;
        _settings = new Dictionary<string, string?>
        {
            ["Newsletter:PublicBaseUrl"] = BaseUrl,
            ["Newsletter:AdminApiKey"] = AdminKey,
            ["Newsletter:PostalAddress"] = "Test Lab, 1 Loopback Lane, 12345 Localhost",
            ["Newsletter:SubscribeLimitPerMinute"] = "10000",
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = smtp.Port.ToString(),
            ["Smtp:Security"] = "None",
            ["Digest:Cron"] = "0 0 8 1 1 ? 2099",
            ["PaperSources:HuggingFace:Enabled"] = "false",
            ["PaperSources:HuggingFace:BaseUrl"] = "http://127.0.0.1:9",
        };
        foreach (var (key, value) in TestDatabase.For(folder)) _settings[key] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
    }

    public TestSmtpServer Smtp { get; }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "newsletter.db");

    /// <summary>The service's own database access, on whichever engine the test run uses.</summary>
    public Newsletter.Core.Data.Db Database => Services.GetRequiredService<Newsletter.Core.Data.Db>();

    public LogCapture Logs { get; } = new();

    /// <summary>The service's clock (and its scheduler's); the system clock unless a test sets one.</summary>
    public TimeProvider? Clock { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (Clock is not null) builder.ConfigureTestServices(services => services.AddSingleton(Clock));
    }

    /// <summary>
    /// Serves over a real Kestrel listener on 127.0.0.1 (a free port) instead of the in-memory test
    /// server, for tests about HTTP framing and body limits, which only a real server enforces.
    /// Call before the first client is made.
    /// </summary>
    public void UseRealServer()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        ClientOptions.BaseAddress = ListeningAddress;
    }

    /// <summary>Where the real server listens (see <see cref="UseRealServer"/>).</summary>
    public Uri ListeningAddress => new(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

    public HttpClient CreateAdminClient()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>A browser-like client that never follows redirects, so a test sees every answer as sent.</summary>
    public HttpClient CreatePublicClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });

    /// <summary>Turns an absolute link from a mail into a request path for the test server.</summary>
    public static string PathOf(string link)
    {
        Assert.StartsWith(BaseUrl + "/", link);
        return link[BaseUrl.Length..];
    }
}

/// <summary>A temporary folder that is removed after the test class.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("newsletter-tests-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a file still open by a closing process; the OS cleans temp */ }
    }
}

/// <summary>One SMTP server, one database folder and one running service per test class.</summary>
public class AppFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    public TestSmtpServer Smtp { get; private set; } = null!;

    public NewsletterApp App { get; private set; } = null!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>True to serve over real Kestrel on loopback rather than the in-memory test server.</summary>
    protected virtual bool RealServer => false;

    public async Task InitializeAsync()
    {
        Smtp = await TestSmtpServer.StartAsync();
        App = new NewsletterApp(Smtp, _folder.Path, Settings);
        if (RealServer) App.UseRealServer();
        else App.Server.PreserveExecutionContext = false;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Smtp.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

/// <summary>An <see cref="AppFixture"/> served by real Kestrel on 127.0.0.1, as a client on the network sees it.</summary>
public sealed class KestrelAppFixture : AppFixture
{
    protected override bool RealServer => true;
}
