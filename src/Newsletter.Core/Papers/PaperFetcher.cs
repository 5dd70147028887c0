using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Core.Options;
using Newsletter.Core.Telemetry;

namespace Newsletter.Core.Papers;

public enum FetchOutcome { Fetched, Disabled, FutureDate }

/// <summary>Keeps the paper table current from the Daily Papers API: a day at a time, upserted.</summary>
public sealed class PaperFetcher(
    DailyPapersClient client, PaperImporter importer, DigestCalendar calendar, IOptions<HuggingFaceOptions> options,
    NewsletterMetrics metrics, ILogger<PaperFetcher> logger)
{
    /// <exception cref="PaperSourceException">The source failed after its retries; nothing of the day was stored.</exception>
    public async Task<(FetchOutcome Outcome, int Fetched)> FetchAsync(DateOnly date, CancellationToken ct)
    {
        if (!options.Value.Enabled) return (FetchOutcome.Disabled, 0);
        // The API keeps its lists by UTC date and refuses a day that has not begun. The digest day
        // never runs ahead of the newest list (DigestCalendar), so only a request for a later day
        // lands here.
        var newest = calendar.NewestListDay();
        if (date > newest)
        {
            logger.LogWarning("Not fetching the papers of {Date:yyyy-MM-dd}: that Daily Papers list has not begun (the newest is {Newest:yyyy-MM-dd})",
                date, newest);
            return (FetchOutcome.FutureDate, 0);
        }

        using var activity = NewsletterActivities.Source.StartActivity(NewsletterActivities.FetchPapers);
        activity?.SetTag("newsletter.date", date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        IReadOnlyList<DailyPaperItem?> items;
        try
        {
            items = await client.FetchDayAsync(date, options.Value.PageSize, ct);
        }
        catch (PaperSourceException e)
        {
            // Only the caller logs it, once; the trace and the counter say it here.
            metrics.Fetched(ok: false);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.Message);
            throw;
        }
        metrics.Fetched(ok: true);
        var result = await importer.StoreAsync(items, date, ct);
        activity?.SetTag("newsletter.papers", result.Imported + result.Updated);
        var fetched = result.Imported + result.Updated;
        logger.LogInformation("Fetched {Count} papers for {Date:yyyy-MM-dd} ({New} new, {Skipped} skipped)", fetched, date, result.Imported, result.Skipped.Count);
        return (FetchOutcome.Fetched, fetched);
    }
}
