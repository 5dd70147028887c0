using System.Globalization;
using Newsletter.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Pages;
using Newsletter.Core.Digests;
using Newsletter.Core.Email;

namespace Newsletter.Api.Archive;

/// <summary>
/// The public archive: the list of daily digests, the web view of each (the mails' "View in your
/// browser" link) and an Atom feed. No personal links anywhere.
/// </summary>
public static class ArchiveEndpoints
{
    public const int PageSize = 30;

    public static IEndpointRouteBuilder MapArchive(this IEndpointRouteBuilder app)
    {
        var archive = app.MapGroup("").ExcludeFromDescription();
        archive.MapGet("/digests", Index);
        archive.MapGet("/digests.atom", Feed);
        archive.MapGet("/digests/{date}", Show);
        return app;
    }

    /// <summary>A page of daily digests, newest first; <c>?before=yyyy-MM-dd</c> starts below that date (keyset, never OFFSET).</summary>
    private static async Task<ContentHttpResult> Index(string? before, DigestArchive archive, PageRenderer pages, CancellationToken ct)
    {
        DateOnly? start = null;
        if (before is not null)
        {
            if (!RequestInfo.TryParseDay(before, out var day))
                return await pages.MessageAsync(400, "Not a date", "Older digests are listed from a date, as /digests?before=2026-05-20.", "/digests", "Newest digests");
            start = day;
        }
        // One more than shown tells whether an older page exists without counting.
        var digests = await archive.NewestAsync(start, PageSize + 1, ct);
        var shown = digests.Take(PageSize).Select(d => Summary(d, pages.Sender.Urls)).ToList();
        var older = digests.Count > PageSize
            ? "/digests?before=" + shown[^1].Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;
        return await pages.RenderAsync("Archive", new ArchivePage(pages.Sender, shown, older, start is null));
    }

    private static async Task<FileContentHttpResult> Feed(DigestArchive archive, PageRenderer pages, TimeProvider clock, CancellationToken ct)
    {
        var digests = await archive.NewestAsync(null, AtomFeed.Entries, ct);
        return TypedResults.File(AtomFeed.Write(digests, pages.Sender.Urls, pages.Sender, clock.GetUtcNow()), AtomFeed.ContentType);
    }

    private static async Task<ContentHttpResult> Show(string date, DigestService digests, PageRenderer pages, CancellationToken ct)
    {
        if (!RequestInfo.TryParseDay(date, out var day))
            return await pages.MessageAsync(400, "Not a date", "Digests are found by their date, as /digests/2026-05-20.");
        var digest = await digests.FindByDateAsync(day, DigestEdition.Daily, ct);
        return digest is null
            ? await pages.MessageAsync(404, "No digest for that day", $"No digest was sent for {day:yyyy-MM-dd}.", "/", "Subscribe to the daily digest")
            : TypedResults.Content(digest.ArchiveHtml, "text/html; charset=utf-8");
    }

    /// <summary>How the archive and the landing page show a digest.</summary>
    public static EditionSummary Summary(ArchivedDigest digest, PublicUrls urls) =>
        new(digest.Date, urls.Archive(digest.Date), digest.Papers.Select(p => new PaperLink(p.PaperId, p.Title, p.Upvotes)).ToList());
}
