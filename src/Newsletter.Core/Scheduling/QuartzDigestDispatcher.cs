using Newsletter.Core.Digests;
using Quartz;

namespace Newsletter.Core.Scheduling;

/// <summary>Schedules a <see cref="SendDigestJob"/> for a digest, to run now.</summary>
public sealed class QuartzDigestDispatcher(ISchedulerFactory schedulers) : IDigestDispatcher
{
    public async Task DispatchAsync(long digestId, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var key = $"send-digest-{digestId}";
        var job = JobBuilder.Create<SendDigestJob>()
            .WithIdentity(key, "digests")
            .UsingJobData(SendDigestJob.DigestIdKey, digestId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Build();
        var trigger = TriggerBuilder.Create().WithIdentity(key, "digests").StartNow().Build();
        await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, ct);
    }
}
