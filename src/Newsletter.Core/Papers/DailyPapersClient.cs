using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Newsletter.Core.Papers;

/// <summary>The source could not give a day's list, after the resilience pipeline's retries.</summary>
public sealed class PaperSourceException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Typed client for <c>GET /api/daily_papers?date=&amp;p=&amp;limit=</c>. Retries, timeouts and the
/// circuit breaker live in the HttpClient's resilience handler, not here.
/// </summary>
public sealed class DailyPapersClient(HttpClient http)
{
    /// <summary>
    /// Items read for one day at most. A day's list has held up to ~150 papers; a source that
    /// keeps sending full pages is broken or hostile, and followed without end it made ~900
    /// requests a second and grew the process by gigabytes.
    /// </summary>
    public const int MaxItems = 2_000;

    /// <summary>Every item of the day, page by page until a short page.</summary>
    /// <exception cref="PaperSourceException">A page failed or was not valid JSON, or the list did not end within
    /// <see cref="MaxItems"/> items: nothing of the day is returned.</exception>
    public async Task<IReadOnlyList<DailyPaperItem?>> FetchDayAsync(DateOnly date, int pageSize, CancellationToken ct)
    {
        var items = new List<DailyPaperItem?>();
        for (var page = 0; ; page++)
        {
            var batch = await FetchPageAsync(date, page, pageSize, ct);
            items.AddRange(batch);
            if (batch.Count < pageSize) return items;
            if (items.Count >= MaxItems)
                throw new PaperSourceException(
                    $"The Daily Papers API kept sending full pages for {date:yyyy-MM-dd} past {MaxItems} papers: a day's list is far shorter, so nothing of it was kept.");
        }
    }

    private async Task<List<DailyPaperItem?>> FetchPageAsync(DateOnly date, int page, int pageSize, CancellationToken ct)
    {
        var uri = string.Create(CultureInfo.InvariantCulture, $"api/daily_papers?date={date:yyyy-MM-dd}&p={page}&limit={pageSize}");
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                                      or Polly.CircuitBreaker.BrokenCircuitException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new PaperSourceException($"The Daily Papers API did not answer for {date:yyyy-MM-dd} page {page}: {e.Message}", e);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.BadRequest)
                throw new PaperSourceException($"The Daily Papers API refused {date:yyyy-MM-dd} (400): is the date valid and not in the future?");
            if (!response.IsSuccessStatusCode)
                throw new PaperSourceException(
                    $"The Daily Papers API answered {(int)response.StatusCode} {response.ReasonPhrase} for {date:yyyy-MM-dd} page {page}.");
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                return await PaperImporter.ParseAsync(body, ct);
            }
            catch (Exception e) when (e is JsonException or IOException or HttpRequestException)
            {
                throw new PaperSourceException($"The Daily Papers API sent a body that is not a valid list for {date:yyyy-MM-dd} page {page}: {e.Message}", e);
            }
        }
    }
}
