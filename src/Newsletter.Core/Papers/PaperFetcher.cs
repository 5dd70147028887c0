using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Core.Options;

namespace Newsletter.Core.Papers;

public enum FetchOutcome { Fetched, Disabled, FutureDate }

/// <summary>Keeps the paper table current from the Daily Papers API: a day at a time, upserted.</summary>
public sealed class PaperFetcher(
    DailyPapersClient client, PaperImporter importer, TimeProvider clock, IOptions<HuggingFaceOptions> options, ILogger<PaperFetcher> logger)
{
    /// <exception cref="PaperSourceException">The source failed after its retries; nothing of the day was stored.</exception>
    public async Task<(FetchOutcome Outcome, int Fetched)> FetchAsync(DateOnly date, CancellationToken ct)
    {
        if (!options.Value.Enabled) return (FetchOutcome.Disabled, 0);
        // The API refuses future dates; there is nothing to ask for.
        if (date > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)) return (FetchOutcome.FutureDate, 0);

        var items = await client.FetchDayAsync(date, options.Value.PageSize, ct);
        var result = await importer.StoreAsync(items, date, ct);
        var fetched = result.Imported + result.Updated;
        logger.LogInformation("Fetched {Count} papers for {Date} ({New} new, {Skipped} skipped)", fetched, date, result.Imported, result.Skipped.Count);
        return (FetchOutcome.Fetched, fetched);
    }
}
