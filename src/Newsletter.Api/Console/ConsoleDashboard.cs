using Newsletter.Api.Hosting;
using Newsletter.Core.AdminConsole;
using Newsletter.Core.Digests;
using Newsletter.Core.Papers;
using Newsletter.Core.Subscribers;
using Quartz;

namespace Newsletter.Api.AdminConsole;

/// <summary>Gathers what the dashboard shows: each figure is one indexed query.</summary>
public sealed class ConsoleDashboard(
    SubscriberStore subscribers, SubscriberActivity activity, DigestList digests, DigestService digestService, PaperStore papers,
    ISchedulerFactory schedulers)
{
    public const int ChartDays = 30;
    public const int RecentDigests = 5;

    public async Task<DashboardPage> BuildAsync(ConsoleFrame frame, CancellationToken ct)
    {
        var today = digestService.Today();
        var scheduler = await schedulers.GetScheduler(ct);
        return new DashboardPage(
            frame,
            subscribers.CountByStatus(),
            ActivityChart.From(await activity.LastDaysAsync(ChartDays, ct)),
            await digests.NewestAsync(long.MaxValue, RecentDigests, ct),
            await NextFireAsync(scheduler, SchedulingServices.DailyDigestKey, ct),
            await NextFireAsync(scheduler, SchedulingServices.FetchPapersKey, ct),
            today,
            await papers.OfDayAsync(today, ct));
    }

    /// <summary>When the job runs next, or null if it is not scheduled (the paper source may be off).</summary>
    private static async Task<DateTimeOffset?> NextFireAsync(IScheduler scheduler, JobKey job, CancellationToken ct)
    {
        var triggers = await scheduler.GetTriggersOfJob(job, ct);
        return triggers.Select(t => t.NextFireTimeUtc).Where(t => t is not null).Min();
    }
}
