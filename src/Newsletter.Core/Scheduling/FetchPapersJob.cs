using Microsoft.Extensions.Logging;
using Newsletter.Core.Options;
using Newsletter.Core.Papers;
using Quartz;

namespace Newsletter.Core.Scheduling;

/// <summary>Fetches today's list and yesterday's (upvotes keep arriving after the day).</summary>
[DisallowConcurrentExecution]
public sealed class FetchPapersJob(PaperFetcher fetcher, DigestCalendar calendar, ILogger<FetchPapersJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var today = calendar.Today();
        foreach (var date in new[] { today, today.AddDays(-1) })
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
