using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Http;
using Newsletter.Core.Email;

namespace Newsletter.Api.AdminConsole;

public static class ConsoleEndpoints
{
    /// <summary>
    /// The operator's console under /admin: server-rendered pages behind a cookie session. Every
    /// post is checked for its form token; every page but the sign-in form needs the session.
    /// </summary>
    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup(ConsoleAuth.Path).ExcludeFromDescription()
            .AddEndpointFilter<ConsoleFormFilter>().AllowOwnScriptsAndFrames();
        console.MapGet("", Home);
        console.MapSignIn();

        var pages = console.MapGroup("").RequireAuthorization(ConsoleAuth.Policy);
        pages.MapGet("/console.js", Script);
        pages.MapDigestConsole();
        pages.MapSubscriberConsole();
        pages.MapPaperConsole();
        return app;
    }

    /// <summary>The dashboard with a session; the sign-in form, and nothing else, without.</summary>
    private static async Task<ContentHttpResult> Home(HttpContext http, ConsolePageRenderer pages, ConsoleDashboard dashboard, CancellationToken ct) =>
        await ConsoleAuth.HasSessionAsync(http)
            ? await pages.RenderAsync("Dashboard", await dashboard.BuildAsync(pages.Frame(http, "Dashboard", "dashboard"), ct))
            : await ConsoleAuth.SignInFormAsync(http, pages);

    /// <summary>The console's one script (live progress), served from here so the pages load nothing from elsewhere.</summary>
    private static PhysicalFileHttpResult Script(TemplateFolder templates) =>
        TypedResults.PhysicalFile(Path.Combine(templates.Path, "admin", "console.js"), "text/javascript; charset=utf-8");
}
