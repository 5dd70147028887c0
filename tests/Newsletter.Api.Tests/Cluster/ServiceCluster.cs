using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Cluster;

/// <summary>
/// Several instances of the service as separate processes, the way an operator runs a cluster:
/// each in a working folder of its own, all with the same PostgreSQL database (a fresh one on the
/// test process's server) and the same SMTP relay on loopback.
/// </summary>
public sealed class ServiceCluster : IAsyncDisposable
{
    /// <summary>Cluster tests run one at a time: each runs several services, and on 2 cores their timings would suffer.</summary>
    public const string Collection = "Cluster";

    private readonly List<TempFolder> _folders = [];
    private readonly List<ServiceProcess> _instances = [];
    private readonly Action<Dictionary<string, string?>> _configure;

    private ServiceCluster(string connectionString, TestSmtpServer smtp, Action<Dictionary<string, string?>> configure)
    {
        ConnectionString = connectionString;
        Smtp = smtp;
        _configure = configure;
    }

    public string ConnectionString { get; }

    public TestSmtpServer Smtp { get; }

    public IReadOnlyList<ServiceProcess> Instances => _instances;

    public ServiceProcess this[int index] => _instances[index];

    /// <summary>Starts <paramref name="count"/> instances at once (their migrations take turns on PostgreSQL's advisory lock).</summary>
    public static async Task<ServiceCluster> StartAsync(int count, Action<Dictionary<string, string?>>? configure = null)
    {
        var server = await PostgresServer.SharedAsync();
        var cluster = new ServiceCluster(await server.CreateDatabaseAsync("cluster"), await TestSmtpServer.StartAsync(noDelay: true), configure ?? (_ => { }));
        try
        {
            var started = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => cluster.StartProcessAsync()));
            cluster._instances.AddRange(started);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task<ServiceProcess> StartProcessAsync()
    {
        var folder = new TempFolder();
        lock (_folders) _folders.Add(folder);
        var settings = new Dictionary<string, string?>
        {
            ["Newsletter:AdminApiKey"] = NewsletterApp.AdminKey,
            ["Newsletter:PublicBaseUrl"] = NewsletterApp.BaseUrl,
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = Smtp.Port.ToString(),
            ["Smtp:Security"] = "None",
            ["Digest:Cron"] = "0 0 8 1 1 ? 2099",
            ["PaperSources:HuggingFace:Enabled"] = "false",
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Newsletter"] = ConnectionString,
        };
        _configure(settings);
        return await ServiceProcess.StartAsync(folder.Path, settings);
    }

    public HttpClient Admin(int index) => _instances[index].AdminClient(NewsletterApp.AdminKey);

    /// <summary>Which of <see cref="Instances"/> an instance id in the digest status names (ids hold the process id).</summary>
    public int IndexOf(string instanceId) =>
        _instances.FindIndex(p => instanceId.Contains($"-{p.ProcessId}-", StringComparison.Ordinal));

    public async Task ImportSubscribersAsync(int through, IReadOnlyList<string> emails)
    {
        using var admin = Admin(through);
        var response = await admin.PostAsync("/api/admin/subscribers/import",
            new StringContent("email\n" + string.Join("\n", emails) + "\n", System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(emails.Count, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32());
    }

    public async Task ImportPapersAsync(int through, DateOnly date, int count)
    {
        using var admin = Admin(through);
        var response = await admin.PostAsync("/api/admin/papers",
            new StringContent(JsonSerializer.Serialize(PaperFixtures.Day(date, count)), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Triggers the digest of <paramref name="date"/> on one instance; returns its id.</summary>
    public async Task<long> TriggerAsync(int through, DateOnly date)
    {
        using var admin = Admin(through);
        var response = await admin.PostAsJsonAsync("/api/admin/digests", new { date = date.ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public async Task<JsonElement> StatusAsync(int through, long digestId)
    {
        using var admin = Admin(through);
        return await admin.GetFromJsonAsync<JsonElement>($"/api/admin/digests/{digestId}");
    }

    /// <summary>Asks one instance for the digest's status every 100 ms until <paramref name="done"/> holds.</summary>
    public async Task<JsonElement> WaitForStatusAsync(int through, long digestId, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await StatusAsync(through, digestId);
            if (done(status)) return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Digest {digestId} did not get there in {timeout}: {status}");
            await Task.Delay(100);
        }
    }

    /// <summary>The parts of the instances that took part in a send: index in <see cref="Instances"/>, sent, holding, alive.</summary>
    public IReadOnlyList<(int Index, long Sent, long Holding, bool Alive)> Parts(JsonElement status) =>
        status.GetProperty("instances").EnumerateArray()
            .Select(i => (IndexOf(i.GetProperty("id").GetString()!), i.GetProperty("sent").GetInt64(),
                i.GetProperty("holding").GetInt64(), i.GetProperty("alive").GetBoolean()))
            .ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
        Smtp.Release();
        await Smtp.DisposeAsync();
        await (await PostgresServer.SharedAsync()).DropDatabaseAsync(ConnectionString);
        foreach (var folder in _folders) folder.Dispose();
    }
}
