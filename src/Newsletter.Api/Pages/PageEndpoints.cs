using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Core.Email;

namespace Newsletter.Api.Pages;

public static class PageEndpoints
{
    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Landing).ExcludeFromDescription();
        return app;
    }

    private static Task<ContentHttpResult> Landing(PageRenderer pages) =>
        pages.RenderAsync("Landing", new LandingPage(pages.Sender));
}
