using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Core.Options;
using Newsletter.Core.Papers;
using Quartz;

namespace Newsletter.Core.Scheduling;

/// <summary>
/// Fetches today's list and those of the days a daily digest looks back on for rising papers
/// (<c>Digest:RisingDays</c>, at least yesterday): upvotes keep arriving for days after a list.
/// One day after the other, so the source sees at most a handful of requests per run.
/// </summary>
[DisallowConcurrentExecution]
public sealed class FetchPapersJob(PaperFetcher fetcher, DigestCalendar calendar, IOptions<DigestOptions> digest, ILogger<FetchPapersJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var today = calendar.Today();
        var back = Math.Max(1, digest.Value.RisingDays);
        foreach (var date in Enumerable.Range(0, back + 1).Select(days => today.AddDays(-days)))
        {
            try
            {
                await fetcher.FetchAsync(date, cancellationToken);
            }
            catch (PaperSourceException e)
            {
                logger.LogWarning("Fetching the papers of {Date:yyyy-MM-dd} failed: {Reason}", date, e.Message);
            }
        }
    }
}

/// <summary>The daily digest ranks on fresh counts: the day is fetched once more right before it is made.</summary>
public sealed class FetchBeforeDigest(PaperFetcher fetcher, ILogger<FetchBeforeDigest> logger) : IBeforeDigestStep
{
    public async Task RunAsync(DateOnly date, CancellationToken ct)
    {
        try
        {
            await fetcher.FetchAsync(date, ct);
        }
        catch (PaperSourceException e)
        {
            logger.LogWarning("Could not refresh the papers of {Date:yyyy-MM-dd} before the digest; using what is stored: {Reason}", date, e.Message);
        }
    }
}
