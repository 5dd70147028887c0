using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Core.Digests;
using Newsletter.Core.Options;

namespace Newsletter.Core.Scheduling;

/// <summary>
/// At start: digests left unfinished by a stop or crash continue, and today's digest goes out once
/// if its time passed while the service was down.
/// </summary>
public sealed class DigestStartup(
    DigestStore store, IDigestDispatcher dispatcher, DailyDigest daily, DigestService digests, DigestCalendar calendar,
    IOptions<DigestOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<DigestStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Wait until the server runs: the scheduler is started by then.
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        try
        {
            foreach (var digest in await store.UnfinishedAsync(stoppingToken))
            {
                logger.LogInformation("Resuming digest {Id} for {Date:yyyy-MM-dd} ({Status})", digest.Id, digest.Date, digest.Status);
                await dispatcher.DispatchAsync(digest.Id, stoppingToken);
            }

            var value = options.Value;
            // The digest day of the missed run, not of now: east of UTC the two can differ (DigestCalendar).
            if (DigestSchedule.TodaysRunDue(value.Cron, value.Zone, clock.GetUtcNow()) is { } due
                && await digests.FindByDateAsync(calendar.DayAt(due), DigestEdition.Daily, stoppingToken) is null)
            {
                logger.LogInformation("Today's digest was due while the service was down; making it now");
                await daily.RunAsync(due, stoppingToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The service keeps serving; the schedule and the resume endpoint remain to retry.
            logger.LogError(e, "Catching up on digests at start failed");
        }
    }
}
