using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Newsletter.Api.Tests.Metrics;

/// <summary>An OTLP/HTTP receiver on a loopback port of the OS's choosing: keeps every POST's path and body.</summary>
public sealed class FakeOtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SemaphoreSlim _arrived = new(0);

    private FakeOtlpCollector(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Path, byte[] Body)> Posts { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeOtlpCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var collector = new FakeOtlpCollector(app);
        app.MapPost("/{**path}", collector.ReceiveAsync);
        await app.StartAsync();
        collector.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return collector;
    }

    private async Task ReceiveAsync(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        Posts.Enqueue((http.Request.Path, body.ToArray()));
        _arrived.Release();
    }

    /// <summary>Waits for a POST to <paramref name="path"/> whose body holds <paramref name="text"/> (protobuf keeps strings as UTF-8).</summary>
    public async Task<byte[]> WaitForAsync(string path, string text, TimeSpan? timeout = null)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Posts.FirstOrDefault(p => p.Path == path && p.Body.AsSpan().IndexOf(needle) >= 0) is { Body: not null } post) return post.Body;
            try { await _arrived.WaitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No POST to {path} holding '{text}'; got: {string.Join(", ", Posts.Select(p => p.Path))}");
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
