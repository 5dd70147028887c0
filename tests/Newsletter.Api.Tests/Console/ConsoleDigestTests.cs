using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.AdminConsole;

/// <summary>Digests from the console: the draft before anything goes, the send, its page and live figures.</summary>
public sealed partial class ConsoleDigestTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task TheDraftShowsWhatWouldGoOutAndSendsNothing()
    {
        using var client = await ConsoleClient.SignedInAsync(App);

        // The weekly edition of the week that holds the seeded day: no other test makes it.
        var draft = await client.GetStringAsync("/admin/digests/new?date=2026-05-21&edition=weekly");
        var preview = await client.GetAsync("/admin/digests/draft?date=2026-05-21&edition=weekly");

        Assert.Contains("Send to every weekly reader now", draft);
        Assert.Contains("<iframe src=\"/admin/digests/draft?date=2026-05-21&amp;edition=weekly\"", draft);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("frame-ancestors 'self'", preview.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("Bridging Continuous and Discrete Tokens", await preview.Content.ReadAsStringAsync());
        Assert.DoesNotContain("2026-05-21", await client.GetStringAsync("/admin/digests"));
    }

    [Fact]
    public async Task SendingFromTheConsoleMakesTheDigestOnceAndItsPageFollowsTheSend()
    {
        await App.ImportSubscribersAsync(["console-send-1@example.org", "console-send-2@example.org"]);
        using var client = await ConsoleClient.SignedInAsync(App);

        var send = await client.PostFormAsync("/admin/digests/new?date=2026-05-20", "/admin/digests", ("date", "2026-05-20"), ("edition", "daily"));
        var again = await client.PostFormAsync("/admin/digests/new?date=2026-05-20", "/admin/digests", ("date", "2026-05-20"), ("edition", "daily"));

        Assert.Equal(HttpStatusCode.Redirect, send.StatusCode);
        var page = send.Headers.Location!.ToString();
        Assert.Matches("^/admin/digests/[0-9]+$", page);
        Assert.Equal(page, again.Headers.Location!.ToString());
        var id = long.Parse(page[(page.LastIndexOf('/') + 1)..]);
        await App.WaitForDigestAsync(id, "sent");

        var progress = JsonDocument.Parse(await client.GetStringAsync(page + "/progress")).RootElement;
        Assert.Equal("sent", progress.GetProperty("status").GetString());
        Assert.Equal(100, progress.GetProperty("percent").GetInt32());
        Assert.Equal(progress.GetProperty("recipients").GetInt64(), progress.GetProperty("sent").GetInt64());
        var html = await client.GetStringAsync(page);
        Assert.Contains("data-progress=\"" + page + "/progress\"", html);
        Assert.Contains("<iframe src=\"" + page + "/preview\"", html);
        Assert.Contains("Bridging Continuous and Discrete Tokens", html);
        Assert.Contains("Trending papers", await client.GetStringAsync(page + "/preview"));
        Assert.Contains("2026-05-20", await client.GetStringAsync("/admin/digests"));
        Assert.Equal(2, App.Smtp.Received.Count(m => m.To.StartsWith("console-send-")));
    }

    [Fact]
    public async Task ADayWithoutPapersIsRefusedWith422AndNothingIsMade()
    {
        using var client = await ConsoleClient.SignedInAsync(App);

        var send = await client.PostFormAsync("/admin/digests", "/admin/digests", ("date", "2001-01-01"), ("edition", "daily"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, send.StatusCode);
        Assert.Contains("no papers", await send.Content.ReadAsStringAsync());
        Assert.DoesNotContain("2001-01-01", await client.GetStringAsync("/admin/digests"));
    }

    [Fact]
    public async Task AWeeklyDigestNearTheYearOneIsRefusedWith400OnTheDraftAndTheSend()
    {
        using var client = await ConsoleClient.SignedInAsync(App);

        var draft = await client.GetAsync("/admin/digests/new?date=0001-01-03&edition=weekly");
        var send = await client.PostFormAsync("/admin/digests", "/admin/digests", ("date", "0001-01-03"), ("edition", "weekly"));

        Assert.Equal(HttpStatusCode.BadRequest, draft.StatusCode);
        Assert.Contains("before 1991-08-14", await draft.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, send.StatusCode);
        Assert.Contains("before 1991-08-14", await send.Content.ReadAsStringAsync());
        Assert.DoesNotContain("0001-01-03", await client.GetStringAsync("/admin/digests"));
    }

    [Fact]
    public async Task OnlyConsolePagesMayRunScriptAndOnlyTheServicesOwn()
    {
        using var client = await ConsoleClient.SignedInAsync(App);

        var console = (await client.GetAsync("/admin/digests")).Headers.GetValues("Content-Security-Policy").Single();
        var landing = (await App.CreatePublicClient().GetAsync("/")).Headers.GetValues("Content-Security-Policy").Single();
        var script = await client.GetAsync("/admin/console.js");

        Assert.Contains("script-src 'self'", console);
        Assert.DoesNotContain("unsafe-inline' 'self'; script", console);
        Assert.DoesNotContain("script-src", landing);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotMatch(InlineScript(), await client.GetStringAsync("/admin/digests"));
    }

    [Fact]
    public async Task FetchNowWithTheSourceSwitchedOffSaysSoAndKeepsThePage()
    {
        using var client = await ConsoleClient.SignedInAsync(App);

        var fetch = await client.PostFormAsync("/admin/papers?date=2026-05-20", "/admin/papers/fetch", ("date", "2026-05-20"));

        Assert.Equal(HttpStatusCode.Conflict, fetch.StatusCode);
        var html = await fetch.Content.ReadAsStringAsync();
        Assert.Contains("disabled", html);
        Assert.Contains("Bridging Continuous and Discrete Tokens", html);
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>")]
    private static partial Regex InlineScript();
}
