using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Newsletter.Core.Digests;

namespace Newsletter.Core.Scheduling;

/// <summary>
/// Renews this instance's lease every <see cref="SendInstances.Beat"/> while it runs, and ends it
/// on a graceful stop. An instance that dies stops renewing; the others take over its claims when
/// its lease (<see cref="SendInstances.Lease"/>) runs out.
/// </summary>
public sealed class InstanceHeartbeat(SendInstances instances, TimeProvider clock, ILogger<InstanceHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await instances.BeatAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Renewing this instance's lease failed: {Reason}", e.Message);
            }
            try
            {
                await Task.Delay(SendInstances.Beat, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await instances.LeaveAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Ending this instance's lease failed; it ends by itself: {Reason}", e.Message);
        }
    }
}
