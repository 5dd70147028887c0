using Newsletter.Core.Delivery;
using Newsletter.Core.Digests;
using Quartz;

namespace Newsletter.Core.Scheduling;

/// <summary>Schedules a <see cref="SendDigestJob"/> for a digest, to run now, and tells <see cref="DueReaders"/> of readers who may wait for their hour.</summary>
public sealed class QuartzDigestDispatcher(ISchedulerFactory schedulers, DueReadersSignal dueReaders) : IDigestDispatcher
{
    public async Task DispatchAsync(long digestId, CancellationToken ct)
    {
        dueReaders.Notify();
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
