using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Newsletter.Core.Privacy;

namespace Newsletter.Core.Scheduling;

/// <summary>The retention sweep once at start, after the server runs: a service stopped for weeks keeps nothing longer for it.</summary>
public sealed class PrivacyStartup(PrivacyRetention retention, IHostApplicationLifetime lifetime, ILogger<PrivacyStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }
        try
        {
            await retention.RunAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The daily run tries again; the service keeps serving.
            logger.LogError(e, "The retention sweep at start failed");
        }
    }
}
