using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Http;
using Newsletter.Core.AdminConsole;
using Newsletter.Core.Digests;
using Newsletter.Core.Papers;

namespace Newsletter.Api.AdminConsole;

public static class PaperConsoleEndpoints
{
    public static RouteGroupBuilder MapPaperConsole(this RouteGroupBuilder pages)
    {
        pages.MapGet("/papers", OfDay);
        pages.MapPost("/papers/fetch", Fetch).WithBodyLimit(BodyLimits.Small);
        return pages;
    }

    /// <summary>A day's list as stored, most upvoted first; <paramref name="fetched"/> tells the result of a fetch that led here.</summary>
    private static async Task<ContentHttpResult> OfDay(string? date, int? fetched, HttpContext http, PaperStore store, DigestService digests,
        ConsolePageRenderer pages, CancellationToken ct)
    {
        var day = digests.Today();
        if (!string.IsNullOrEmpty(date) && !RequestInfo.TryParseDay(date, out day))
            return await pages.MessageAsync(http, StatusCodes.Status400BadRequest, "Which day?", RequestInfo.NotADay(date), "/admin/papers", "Today's papers");
        var notice = fetched is { } n ? $"Fetched {n} papers from the Daily Papers API." : null;
        return await PageAsync(http, day, store, pages, notice, null, StatusCodes.Status200OK, ct);
    }

    /// <summary>Fetches a day's list now, through the same fetcher as the scheduled job.</summary>
    private static async Task<Results<RedirectHttpResult, ContentHttpResult>> Fetch(HttpContext http, PaperFetcher fetcher, PaperStore store,
        DigestService digests, ConsolePageRenderer pages, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var day = digests.Today();
        if (!string.IsNullOrEmpty(form["date"]) && !RequestInfo.TryParseDay(form["date"], out day))
            return await pages.MessageAsync(http, StatusCodes.Status400BadRequest, "Which day?", RequestInfo.NotADay(form["date"]), "/admin/papers", "Today's papers");
        try
        {
            var (outcome, count) = await fetcher.FetchAsync(day, ct);
            return outcome switch
            {
                FetchOutcome.Disabled => await PageAsync(http, day, store, pages, null,
                    "The Hugging Face source is disabled (PaperSources__HuggingFace__Enabled=false); nothing was fetched.", StatusCodes.Status409Conflict, ct),
                FetchOutcome.FutureDate => await PageAsync(http, day, store, pages, null,
                    $"{day:yyyy-MM-dd} is in the future; its list does not exist yet.", StatusCodes.Status400BadRequest, ct),
                _ => TypedResults.Redirect($"/admin/papers?date={day:yyyy-MM-dd}&fetched={count}"),
            };
        }
        catch (PaperSourceException e)
        {
            return await PageAsync(http, day, store, pages, null, $"The Daily Papers API failed: {e.Message}", StatusCodes.Status502BadGateway, ct);
        }
    }

    private static async Task<ContentHttpResult> PageAsync(HttpContext http, DateOnly day, PaperStore store, ConsolePageRenderer pages,
        string? notice, string? error, int status, CancellationToken ct) =>
        await pages.RenderAsync("Papers", new PapersPage(pages.Frame(http, $"Papers of {day:yyyy-MM-dd}", "papers"), day, await store.OfDayAsync(day, ct), notice, error), status);
}
