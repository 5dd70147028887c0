using Microsoft.Extensions.Diagnostics.HealthChecks;
using Newsletter.Core.Digests;
using Quartz;

namespace Newsletter.Api.Hosting;

/// <summary>
/// This instance's scheduler, for /health: its state, its id in the Quartz cluster (PostgreSQL) and
/// the id this instance sends under. Reported, never failing the check while the service runs: a
/// scheduler in standby during start-up is not a reason to take the instance out of a load balancer.
/// </summary>
public sealed class SchedulerHealthCheck(ISchedulerFactory schedulers, SendInstance instance) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            return await ReportAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // No exception text: the body of /health is public.
            return HealthCheckResult.Degraded("The scheduler's state could not be read.");
        }
    }

    private async Task<HealthCheckResult> ReportAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var metadata = await scheduler.GetMetadata(ct);
        var status = await scheduler.GetStatus(ct);
        var state = status.ToString().ToLowerInvariant();
        var data = new Dictionary<string, object>
        {
            ["state"] = state,
            ["clustered"] = metadata.JobStoreClustered,
            ["schedulerInstanceId"] = await scheduler.GetSchedulerInstanceId(ct),
            ["sendInstanceId"] = instance.Id,
        };
        return status is SchedulerStatus.Shutdown or SchedulerStatus.ShuttingDown
            ? HealthCheckResult.Degraded("The scheduler has shut down: no digest will be made on schedule.", data: data)
            : HealthCheckResult.Healthy($"The scheduler is {state}.", data);
    }
}
