using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Newsletter.Api.Http;
using Newsletter.Core.AdminConsole;
using Newsletter.Core.Data;
using Newsletter.Core.Digests;
using Newsletter.Core.Options;

namespace Newsletter.Api.AdminConsole;

/// <summary>The live figures of a send, polled by console.js.</summary>
public sealed record ProgressJson(
    string Status, long Recipients, long Sent, long Failed, long Pending, long Skipped, int Percent, double? MessagesPerSecond, DateTimeOffset? EstimatedFinish);

public static class DigestConsoleEndpoints
{
    public const int PageSize = 20;

    public static RouteGroupBuilder MapDigestConsole(this RouteGroupBuilder pages)
    {
        pages.MapGet("/digests", List);
        pages.MapGet("/digests/new", Draft);
        pages.MapGet("/digests/draft", DraftPreview).AllowFramingBySelf();
        pages.MapPost("/digests", Send).WithBodyLimit(BodyLimits.Small);
        pages.MapGet("/digests/{id:long}", Show);
        pages.MapGet("/digests/{id:long}/preview", Preview).AllowFramingBySelf();
        pages.MapGet("/digests/{id:long}/progress", Progress);
        pages.MapPost("/digests/{id:long}/resume", Resume).WithBodyLimit(BodyLimits.Small);
        return pages;
    }

    private static async Task<ContentHttpResult> List(long? before, HttpContext http, DigestList digests, DigestService service, ConsolePageRenderer pages, CancellationToken ct)
    {
        var rows = await digests.NewestAsync(before ?? long.MaxValue, PageSize + 1, ct);
        var shown = rows.Take(PageSize).ToList();
        return await pages.RenderAsync("Digests", new DigestsPage(pages.Frame(http, "Digests", "digests"), shown,
            rows.Count > PageSize ? shown[^1].Id : null, service.Today()));
    }

    /// <summary>What a date's digest would hold, before anything is recorded or sent.</summary>
    private static async Task<ContentHttpResult> Draft(string? date, string? edition, HttpContext http, DigestService service, DigestStore store,
        ConsolePageRenderer pages, CancellationToken ct)
    {
        if (!TryRead(date, edition, service, out var day, out var kind))
            return await pages.MessageAsync(http, StatusCodes.Status400BadRequest, "Which digest?", WhichDigest(date));
        var existing = await service.FindByDateAsync(day, kind, ct);
        var pool = existing is null ? await store.PoolAsync(kind, day, PoolSize(kind), ct) : [];
        return await pages.RenderAsync("DigestDraft", new DigestDraftPage(pages.Frame(http, $"Digest of {day:yyyy-MM-dd}", "digests"), day, kind, pool, existing?.Id, null));
    }

    /// <summary>The draft as its web view, for the frame of the draft page.</summary>
    private static async Task<ContentHttpResult> DraftPreview(string? date, string? edition, DigestService service, DigestStore store,
        DigestRenderer renderer, IOptions<DigestOptions> options, CancellationToken ct)
    {
        if (!TryRead(date, edition, service, out var day, out var kind)) return Html("<!DOCTYPE html><p>Give the date as yyyy-MM-dd.</p>");
        var pool = await store.PoolAsync(kind, day, PoolSize(kind), ct);
        if (pool.Count == 0) return Html("<!DOCTYPE html><p>There are no papers for this digest.</p>");
        return Html((await renderer.RenderAsync(day, kind, pool, options.Value.MaxPapers)).ArchiveHtml);
    }

    private static async Task<Results<RedirectHttpResult, ContentHttpResult>> Send(HttpContext http, DigestService service, ConsolePageRenderer pages, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        if (!TryRead(form["date"], form["edition"], service, out var day, out var kind))
            return await pages.MessageAsync(http, StatusCodes.Status400BadRequest, "Which digest?", WhichDigest(form["date"]));
        // The operator's weekly digest goes to every weekly reader, as through the admin API.
        var (outcome, digest) = await service.MakeAsync(day, kind == DigestEdition.Weekly ? DigestAudience.AllWeekly : DigestAudience.Daily, ct);
        if (outcome == MakeOutcome.NoPapers)
            return await pages.MessageAsync(http, StatusCodes.Status422UnprocessableEntity, "Nothing to send",
                $"There are no papers for the {kind.ToStored()} digest of {day:yyyy-MM-dd}; nothing was sent.", "/admin/papers?date=" + day.ToString("yyyy-MM-dd"), "Papers of that day");
        return TypedResults.Redirect($"/admin/digests/{digest!.Id}");
    }

    private static async Task<ContentHttpResult> Show(long id, HttpContext http, DigestService service, ConsolePageRenderer pages, CancellationToken ct) =>
        await service.ViewAsync(id, ct) is { } view
            ? await pages.RenderAsync("Digest", new DigestPage(pages.Frame(http, $"Digest {id}", "digests"), view))
            : await pages.MessageAsync(http, StatusCodes.Status404NotFound, "No such digest", $"There is no digest {id}.", "/admin/digests", "All digests");

    private static async Task<ContentHttpResult> Preview(long id, DigestService service, CancellationToken ct) =>
        await service.FindAsync(id, ct) is { } digest ? Html(digest.ArchiveHtml) : Html("<!DOCTYPE html><p>There is no such digest.</p>", StatusCodes.Status404NotFound);

    private static async Task<Results<Ok<ProgressJson>, NotFound>> Progress(long id, DigestService service, CancellationToken ct)
    {
        if (await service.ViewAsync(id, ct) is not { } v) return TypedResults.NotFound();
        return TypedResults.Ok(new ProgressJson(v.Status.ToStored(), v.Counts.Recipients, v.Counts.Sent, v.Counts.Failed, v.Counts.Pending,
            v.Counts.Skipped, DigestPage.PercentOf(v), v.MessagesPerSecond is { } r ? Math.Round(r, 1) : null, v.EstimatedFinish));
    }

    /// <summary>Continues a failed send; a digest that is running or sent is left as it is.</summary>
    private static async Task<RedirectHttpResult> Resume(long id, DigestService service, CancellationToken ct)
    {
        await service.ResumeAsync(id, ct);
        return TypedResults.Redirect($"/admin/digests/{id}");
    }

    private static bool TryRead(string? date, string? edition, DigestService service, out DateOnly day, out DigestEdition kind)
    {
        kind = DigestEdition.Daily;
        day = service.Today();
        return (string.IsNullOrEmpty(date) || RequestInfo.TryParseDigestDay(date, out day))
            && (string.IsNullOrEmpty(edition) || StoredText.TryParse(edition, out kind));
    }

    private static string WhichDigest(string? date) =>
        RequestInfo.TryParseDay(date, out var day) && day < DigestEditions.FirstListDay ? RequestInfo.NotADigestDay(date) : "Give the date as yyyy-MM-dd and the edition as daily or weekly.";

    private static int PoolSize(DigestEdition edition) => edition == DigestEdition.Weekly ? DigestService.WeeklyPool : DigestService.DailyPool;

    private static ContentHttpResult Html(string html, int status = StatusCodes.Status200OK) =>
        TypedResults.Content(html, "text/html; charset=utf-8", null, status);
}
