using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>
/// Stands in for huggingface.co, the one thing that cannot exist here: a real Kestrel server on a
/// loopback port chosen by the OS, serving recorded payloads in the API's exact shape. Each
/// request for a (date, page) takes the next planned answer; with none planned it answers [].
/// </summary>
public sealed class FakeDailyPapersApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string Date, int Page), ConcurrentQueue<Func<HttpContext, Task>>> _plans = new();

    private FakeDailyPapersApi(WebApplication app) => _app = app;

    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<string> UserAgents { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "daily-papers", name));

    public static async Task<FakeDailyPapersApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeDailyPapersApi(app);
        app.MapGet("/api/daily_papers", fake.Answer);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    /// <summary>Plans the next answers for a day's page, in order.</summary>
    public FakeDailyPapersApi Plan(string date, int page, params Func<HttpContext, Task>[] answers)
    {
        var queue = _plans.GetOrAdd((date, page), _ => new ConcurrentQueue<Func<HttpContext, Task>>());
        foreach (var answer in answers) queue.Enqueue(answer);
        return this;
    }

    public static Func<HttpContext, Task> Json(string body) => http =>
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(body);
    };

    public static Func<HttpContext, Task> Status(int status, string? retryAfter = null) => http =>
    {
        http.Response.StatusCode = status;
        if (retryAfter is not null) http.Response.Headers.RetryAfter = retryAfter;
        return http.Response.WriteAsync("""{"error":"try later"}""");
    };

    public static Func<HttpContext, Task> Slow(TimeSpan delay, string body) => async http =>
    {
        try { await Task.Delay(delay, http.RequestAborted); }
        catch (OperationCanceledException) { return; }
        await Json(body)(http);
    };

    /// <summary>Headers and the first bytes of a body, then nothing until the client hangs up.</summary>
    public static Func<HttpContext, Task> Stalled(string start) => async http =>
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(start);
        await http.Response.Body.FlushAsync();
        try { await Task.Delay(Timeout.Infinite, http.RequestAborted); }
        catch (OperationCanceledException) { }
    };

    private readonly SemaphoreSlim _requested = new(0);

    /// <summary>Waits until a request whose query matches has come in.</summary>
    public async Task WaitForRequestAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (!Requests.Any(match))
        {
            try { await _requested.WaitAsync(cts.Token); }
            catch (OperationCanceledException) { throw new TimeoutException("Requests so far: " + string.Join(", ", Requests)); }
        }
    }

    public int RequestsFor(string date) => Requests.Count(r => r.Contains($"date={date}"));

    private Task Answer(HttpContext http)
    {
        Requests.Enqueue((http.Request.QueryString.Value ?? "").TrimStart('?'));
        UserAgents.Enqueue(http.Request.Headers.UserAgent.ToString());
        _requested.Release();
        var date = http.Request.Query["date"].ToString();
        var page = int.TryParse(http.Request.Query["p"], out var p) ? p : 0;
        return _plans.TryGetValue((date, page), out var queue) && queue.TryDequeue(out var answer)
            ? answer(http)
            : Json("[]")(http);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
