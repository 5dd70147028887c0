using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Papers;

/// <summary>The real client, resilience pipeline and database against a local stand-in for the API.</summary>
public sealed class PaperSourceFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    public FakeDailyPapersApi Api { get; private set; } = null!;
    public TestSmtpServer Smtp { get; private set; } = null!;
    public NewsletterApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Api = await FakeDailyPapersApi.StartAsync();
        Smtp = await TestSmtpServer.StartAsync();
        App = new NewsletterApp(Smtp, _folder.Path, new Dictionary<string, string?>
        {
            ["PaperSources:HuggingFace:Enabled"] = "true",
            ["PaperSources:HuggingFace:BaseUrl"] = Api.BaseUrl,
            ["PaperSources:HuggingFace:Cron"] = "0 0 3 1 1 ? 2099",
            ["PaperSources:HuggingFace:AttemptTimeout"] = "00:00:01",
            ["PaperSources:HuggingFace:TotalTimeout"] = "00:00:20",
            ["PaperSources:HuggingFace:RetryDelay"] = "00:00:00.050",
            ["PaperSources:HuggingFace:MaxRetries"] = "3",
        });
        _ = App.Server;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Smtp.DisposeAsync();
        await Api.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

public sealed class PaperFetchTests(PaperSourceFixture fixture) : IClassFixture<PaperSourceFixture>
{
    private FakeDailyPapersApi Api => fixture.Api;

    private async Task<(HttpStatusCode Status, JsonElement Body)> FetchAsync(string date)
    {
        using var admin = fixture.App.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/api/admin/papers/fetch", new { date });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<JsonElement[]> PapersOf(string date)
    {
        using var admin = fixture.App.CreateAdminClient();
        return (await admin.GetFromJsonAsync<JsonElement>($"/api/admin/papers?date={date}")).EnumerateArray().ToArray();
    }

    [Fact]
    public async Task ADayIsFetchedParsedAndStoredWithUnknownFieldsIgnoredAndOptionalOnesAbsent()
    {
        Api.Plan("2026-09-01", 0, FakeDailyPapersApi.Json(FakeDailyPapersApi.Fixture("2026-09-01.json")));

        var (status, body) = await FetchAsync("2026-09-01");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body.GetProperty("fetched").GetInt32());
        Assert.Contains("date=2026-09-01&p=0&limit=100", Api.Requests);
        Assert.Contains(Api.UserAgents, ua => ua.StartsWith("DailyPapersNewsletter/"));

        var papers = await PapersOf("2026-09-01");
        Assert.Equal(["2609.00101", "2609.00103", "2609.00102"], papers.Select(p => p.GetProperty("id").GetString()));
        var full = papers[0];
        Assert.Equal(42, full.GetProperty("upvotes").GetInt64());
        Assert.Equal(3, full.GetProperty("comments").GetInt64());
        Assert.Equal("Ada Example, Bo Sample", full.GetProperty("authors").GetString());
        Assert.Equal(3, full.GetProperty("authorCount").GetInt64());
        Assert.Equal("https://github.com/example/2609.00101", full.GetProperty("githubRepo").GetString());
        Assert.Equal(310, full.GetProperty("githubStars").GetInt64());
        Assert.StartsWith("A one-line summary", full.GetProperty("aiSummary").GetString());
        Assert.Equal("Example Research Lab", papers[1].GetProperty("organization").GetString());
        Assert.Equal(JsonValueKind.Null, papers[2].GetProperty("githubRepo").ValueKind);
    }

    [Fact]
    public async Task AServerErrorIsRetriedAndThenSucceeds()
    {
        Api.Plan("2026-09-04", 0, FakeDailyPapersApi.Status(500), FakeDailyPapersApi.Json(FakeDailyPapersApi.Fixture("2026-09-01.json")));

        var (status, body) = await FetchAsync("2026-09-04");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body.GetProperty("fetched").GetInt32());
        Assert.Equal(2, Api.RequestsFor("2026-09-04"));
    }

    [Fact]
    public async Task A429IsRetriedAfterTheDelayTheServerAsksFor()
    {
        Api.Plan("2026-09-05", 0, FakeDailyPapersApi.Status(429, retryAfter: "1"), FakeDailyPapersApi.Json("[]"));

        var clock = Stopwatch.StartNew();
        var (status, _) = await FetchAsync("2026-09-05");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, Api.RequestsFor("2026-09-05"));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {clock.Elapsed}");
    }

    [Fact]
    public async Task AResponseSlowerThanTheTimeoutIsAbandonedAndRetried()
    {
        Api.Plan("2026-09-06", 0,
            FakeDailyPapersApi.Slow(TimeSpan.FromSeconds(5), "[]"),
            FakeDailyPapersApi.Json(FakeDailyPapersApi.Fixture("2026-09-02-missing-id.json")));

        var clock = Stopwatch.StartNew();
        var (status, body) = await FetchAsync("2026-09-06");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetProperty("fetched").GetInt32());
        // The slow answer would have taken 5 s: it was abandoned, not waited for.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4.8), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task ABodyThatStallsAfterItsFirstBytesIsAbandonedAndAskedForAgain()
    {
        // Before, the body was read outside the attempt's timeout: this fetch never returned.
        Api.Plan("2026-09-10", 0,
            FakeDailyPapersApi.Stalled("[{\"paper\":"),
            FakeDailyPapersApi.Json(FakeDailyPapersApi.Fixture("2026-09-01.json").Replace("2026-09-01", "2026-09-10")));

        var fetch = FetchAsync("2026-09-10");
        var finished = await Task.WhenAny(fetch, Task.Delay(TimeSpan.FromSeconds(15)));

        Assert.Same(fetch, finished);
        var (status, body) = await fetch;
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body.GetProperty("fetched").GetInt32());
        Assert.Equal(2, Api.RequestsFor("2026-09-10"));
    }

    [Fact]
    public async Task AListThatNeverEndsIsRefusedAfterTwoThousandPapersAndNothingOfItKept()
    {
        var fullPage = FakeDailyPapersApi.Fixture("2026-09-03-page0.json").Replace("2026-09-03", "2026-09-11");
        for (var page = 0; page < 25; page++) Api.Plan("2026-09-11", page, FakeDailyPapersApi.Json(fullPage));

        var (status, body) = await FetchAsync("2026-09-11");

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains("past 2000 papers", body.GetProperty("detail").GetString());
        Assert.Equal(20, Api.RequestsFor("2026-09-11"));
        Assert.Empty(await PapersOf("2026-09-11"));
    }

    [Fact]
    public async Task ItemsOfTheWrongShapeAreSkippedAndTheRestOfTheDayKept()
    {
        var good = FakeDailyPapersApi.Fixture("2026-09-01.json").Replace("2026-09-01", "2026-09-12").Replace("2609.001", "2609.012").Trim();
        var wrong = new[]
        {
            """{"paper":{"id":"2609.01291","title":"Upvotes as words","upvotes":"many"}}""",
            """{"paper":{"id":"2609.01292","title":{"text":"a title that is an object"}}}""",
            """{"paper":{"id":"2609.01293","title":"Authors as a string","authors":"Ada, Bo"}}""",
            """{"paper":{"id":"2609.01294","title":"A day that is no date","submittedOnDailyAt":"yesterday"}}""",
            "42",
        };
        var payload = good[..^1] + "," + string.Join(",", wrong) + "]";
        Api.Plan("2026-09-12", 0, FakeDailyPapersApi.Json(payload));

        var (status, body) = await FetchAsync("2026-09-12");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body.GetProperty("fetched").GetInt32());
        Assert.Equal(["2609.01201", "2609.01202", "2609.01203"], (await PapersOf("2026-09-12")).Select(p => p.GetProperty("id").GetString()).Order());
        Assert.Equal(5, fixture.App.Logs.Lines.Count(l => l.Contains("Skipped a Daily Papers item") && l.Contains("wrong type")));
    }

    [Fact]
    public async Task ATruncatedBodyStoresNothingAndIsReportedAs502()
    {
        Api.Plan("2026-09-07", 0, FakeDailyPapersApi.Json(FakeDailyPapersApi.Fixture("truncated.json")));

        var (status, body) = await FetchAsync("2026-09-07");

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains("not a valid list", body.GetProperty("detail").GetString());
        Assert.Empty(await PapersOf("2026-09-07"));
    }

    [Fact]
    public async Task ASourceThatKeepsFailingIsReportedAs502WithTheReason()
    {
        Api.Plan("2026-09-08", 0, Enumerable.Repeat(FakeDailyPapersApi.Status(503), 4).ToArray());

        var (status, body) = await FetchAsync("2026-09-08");

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains("503", body.GetProperty("detail").GetString());
        Assert.Equal(4, Api.RequestsFor("2026-09-08"));
        Assert.Contains(fixture.App.Logs.Lines, l => l.Contains("Fetching the papers of 2026-09-08 for the operator failed") && l.Contains("503"));
    }

    [Fact]
    public async Task ATwoPageDayIsFetchedUntilTheShortPage()
    {
        Api.Plan("2026-09-03", 0, FakeDailyPapersApi.Json(FakeDailyPapersApi.Fixture("2026-09-03-page0.json")));
        Api.Plan("2026-09-03", 1, FakeDailyPapersApi.Json(FakeDailyPapersApi.Fixture("2026-09-03-page1.json")));

        var (status, body) = await FetchAsync("2026-09-03");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(120, body.GetProperty("fetched").GetInt32());
        Assert.Contains("date=2026-09-03&p=1&limit=100", Api.Requests);
        Assert.DoesNotContain("date=2026-09-03&p=2&limit=100", Api.Requests);
        Assert.Equal(120, (await PapersOf("2026-09-03")).Length);
    }

    [Fact]
    public async Task AnItemWithoutAnIdIsSkippedAndTheRestOfTheDayKept()
    {
        Api.Plan("2026-09-02", 0, FakeDailyPapersApi.Json(FakeDailyPapersApi.Fixture("2026-09-02-missing-id.json")));

        var (status, body) = await FetchAsync("2026-09-02");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetProperty("fetched").GetInt32());
        Assert.Equal(["2609.00203", "2609.00201"], (await PapersOf("2026-09-02")).Select(p => p.GetProperty("id").GetString()));
        Assert.Contains(fixture.App.Logs.Lines, l => l.Contains("Skipped a Daily Papers item") && l.Contains("no valid arXiv id"));
    }

    [Fact]
    public async Task ARefetchUpdatesCountsAndNeverDuplicates()
    {
        var first = FakeDailyPapersApi.Fixture("2026-09-01.json").Replace("2026-09-01", "2026-09-09");
        var later = first.Replace("\"upvotes\": 42", "\"upvotes\": 77").Replace("\"githubStars\": 310", "\"githubStars\": 999");
        Api.Plan("2026-09-09", 0, FakeDailyPapersApi.Json(first), FakeDailyPapersApi.Json(later));

        await FetchAsync("2026-09-09");
        await FetchAsync("2026-09-09");

        var papers = await PapersOf("2026-09-09");
        Assert.Equal(3, papers.Length);
        Assert.Equal(77, papers[0].GetProperty("upvotes").GetInt64());
        Assert.Equal(999, papers[0].GetProperty("githubStars").GetInt64());
    }

    [Fact]
    public async Task WeekendsAreEmptyAndFineAndFutureDatesAreNotRequested()
    {
        var (weekend, body) = await FetchAsync("2026-09-12");
        Assert.Equal(HttpStatusCode.OK, weekend);
        Assert.Equal(0, body.GetProperty("fetched").GetInt32());

        var future = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd");
        var (status, _) = await FetchAsync(future);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(0, Api.RequestsFor(future));

        var (bad, _) = await FetchAsync("12.09.2026");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
    }
}
