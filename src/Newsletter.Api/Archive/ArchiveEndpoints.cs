using Newsletter.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Pages;
using Newsletter.Core.Digests;

namespace Newsletter.Api.Archive;

/// <summary>The web view of each digest: the mails' "View in your browser" link. No personal links.</summary>
public static class ArchiveEndpoints
{
    public static IEndpointRouteBuilder MapArchive(this IEndpointRouteBuilder app)
    {
        app.MapGet("/digests/{date}", Show).ExcludeFromDescription();
        return app;
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
}
