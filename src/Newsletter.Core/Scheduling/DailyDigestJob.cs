using Microsoft.Extensions.Logging;
using Newsletter.Core.Digests;
using Newsletter.Core.Data;
using Newsletter.Core.Options;
using Newsletter.Core.Subscribers;
using Quartz;

namespace Newsletter.Core.Scheduling;

/// <summary>The morning digest: today's papers to every daily reader, and the week's to the weekly readers of this weekday.</summary>
[DisallowConcurrentExecution]
public sealed class DailyDigestJob(DailyDigest daily) : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        new(daily.RunAsync(context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken));
}

/// <summary>What the morning run does, also used by the start-up catch-up.</summary>
public sealed class DailyDigest(
    DigestService digests, SubscriberStore subscribers, DigestCalendar calendar, IEnumerable<IBeforeDigestStep> before, ILogger<DailyDigest> logger)
{
    /// <param name="due">When the run was due: its digest day is the day at that time, however late it runs.</param>
    public async Task RunAsync(DateTimeOffset due, CancellationToken ct)
    {
        var date = calendar.DayAt(due);
        foreach (var step in before) await step.RunAsync(date, ct);

        Report(date, DigestEdition.Daily, await digests.MakeAsync(date, DigestAudience.Daily, ct));

        // The weekly mail of the readers of this weekday; a weekday no one chose makes no digest.
        var weekday = date.DayOfWeek;
        if (await subscribers.AnyActiveReaderAsync(DigestFrequency.Weekly, weekday, ct))
            Report(date, DigestEdition.Weekly, await digests.MakeAsync(date, new DigestAudience(DigestEdition.Weekly, weekday), ct));
    }

    private void Report(DateOnly date, DigestEdition edition, (MakeOutcome Outcome, Digest? Digest) made)
    {
        switch (made.Outcome)
        {
            case MakeOutcome.NoPapers:
                logger.LogWarning("No {Edition} digest for {Date:yyyy-MM-dd}: no papers on its lists", edition.ToStored(), date);
                break;
            case MakeOutcome.Existing:
                logger.LogInformation("The {Edition} digest for {Date:yyyy-MM-dd} exists already (id {Id}); nothing sent twice",
                    edition.ToStored(), date, made.Digest!.Id);
                break;
            default:
                logger.LogInformation("The {Edition} digest {Id} for {Date:yyyy-MM-dd} is being sent", edition.ToStored(), made.Digest!.Id, date);
                break;
        }
    }
}

/// <summary>Work that should happen right before the daily digest is made (fetching fresh counts).</summary>
public interface IBeforeDigestStep
{
    Task RunAsync(DateOnly date, CancellationToken ct);
}
