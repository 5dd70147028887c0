using Microsoft.Extensions.Logging;
using Newsletter.Core.Digests;
using Newsletter.Core.Options;
using Quartz;

namespace Newsletter.Core.Scheduling;

/// <summary>The morning digest: today's papers to every active subscriber.</summary>
[DisallowConcurrentExecution]
public sealed class DailyDigestJob(DailyDigest daily) : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        new(daily.RunAsync(context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken));
}

/// <summary>What the morning run does, also used by the start-up catch-up.</summary>
public sealed class DailyDigest(
    DigestService digests, DigestCalendar calendar, IEnumerable<IBeforeDigestStep> before, ILogger<DailyDigest> logger)
{
    /// <param name="due">When the run was due: its digest day is the day at that time, however late it runs.</param>
    public async Task RunAsync(DateTimeOffset due, CancellationToken ct)
    {
        var date = calendar.DayAt(due);
        foreach (var step in before) await step.RunAsync(date, ct);

        var (outcome, digest) = await digests.MakeAsync(date, ct);
        switch (outcome)
        {
            case MakeOutcome.NoPapers:
                logger.LogWarning("No digest for {Date:yyyy-MM-dd}: no papers on that day's list that were not sent before", date);
                break;
            case MakeOutcome.Existing:
                logger.LogInformation("The digest for {Date:yyyy-MM-dd} exists already (id {Id}); nothing sent twice", date, digest!.Id);
                break;
            default:
                logger.LogInformation("Daily digest {Id} for {Date:yyyy-MM-dd} is being sent", digest!.Id, date);
                break;
        }
    }
}

/// <summary>Work that should happen right before the daily digest is made (fetching fresh counts).</summary>
public interface IBeforeDigestStep
{
    Task RunAsync(DateOnly date, CancellationToken ct);
}
