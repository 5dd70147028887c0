using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Archive;
using Newsletter.Core.Digests;
using Newsletter.Core.Email;

namespace Newsletter.Api.Pages;

public static class PageEndpoints
{
    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Landing).ExcludeFromDescription();
        return app;
    }

    /// <summary>The sign-up form, and under it the latest digest's papers, so a visitor sees what they would get.</summary>
    private static async Task<ContentHttpResult> Landing(PageRenderer pages, DigestArchive archive, CancellationToken ct)
    {
        var latest = await archive.LatestAsync(ct);
        return await pages.RenderAsync("Landing", new LandingPage(pages.Sender, Latest: latest is null ? null : ArchiveEndpoints.Summary(latest, pages.Sender.Urls)));
    }
}
