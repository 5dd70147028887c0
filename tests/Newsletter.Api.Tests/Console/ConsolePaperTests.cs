using System.Net;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Api.Tests.Papers;

namespace Newsletter.Api.Tests.AdminConsole;

/// <summary>"Fetch now" from the console, against a local stand-in for the Daily Papers API.</summary>
public sealed class ConsolePaperTests(PaperSourceFixture fixture) : IClassFixture<PaperSourceFixture>
{
    [Fact]
    public async Task FetchNowStoresTheDayAndShowsItsPapersWithUpvotes()
    {
        fixture.Api.Plan("2026-09-01", 0, FakeDailyPapersApi.Json(FakeDailyPapersApi.Fixture("2026-09-01.json")));
        using var client = await ConsoleClient.SignedInAsync(fixture.App);

        var fetch = await client.PostFormAsync("/admin/papers?date=2026-09-01", "/admin/papers/fetch", ("date", "2026-09-01"));

        Assert.Equal(HttpStatusCode.Redirect, fetch.StatusCode);
        var page = await client.GetStringAsync(fetch.Headers.Location!.ToString());
        Assert.Contains("Fetched 3 papers", page);
        Assert.Contains("<td class=\"n\">42</td>", page);
    }

    [Fact]
    public async Task AFailingApiIsReportedOnThePageWith502()
    {
        fixture.Api.Plan("2026-09-08", 0, Enumerable.Repeat(FakeDailyPapersApi.Status(500), 10).ToArray());
        using var client = await ConsoleClient.SignedInAsync(fixture.App);

        var fetch = await client.PostFormAsync("/admin/papers?date=2026-09-08", "/admin/papers/fetch", ("date", "2026-09-08"));

        Assert.Equal(HttpStatusCode.BadGateway, fetch.StatusCode);
        Assert.Contains("The Daily Papers API failed", await fetch.Content.ReadAsStringAsync());
    }
}
