using System.Net;
using System.Net.Http.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Papers;

public sealed class ScheduledFetchTests : OwnFolderSmtpAndPapersApi
{
    private Dictionary<string, string?> Source(string fetchCron, string digestCron) => new()
    {
        ["PaperSources:HuggingFace:Enabled"] = "true",
        ["PaperSources:HuggingFace:BaseUrl"] = Api.BaseUrl,
        ["PaperSources:HuggingFace:Cron"] = fetchCron,
        ["PaperSources:HuggingFace:RetryDelay"] = "00:00:00.050",
        ["Digest:Cron"] = digestCron,
    };

    [Fact]
    public async Task TheFetchScheduleAsksForTodayAndYesterday()
    {
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd");
        await using var app = new NewsletterApp(Smtp, Folder.Path, Source("0/2 * * * * ?", "0 0 8 1 1 ? 2099"));
        _ = app.Server;

        await Api.WaitForRequestAsync(q => q.StartsWith($"date={today}&"));
        await Api.WaitForRequestAsync(q => q.StartsWith($"date={yesterday}&"));
    }

    [Fact]
    public async Task TheDailyDigestFetchesFreshCountsRightBeforeItIsMade()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using var app = new NewsletterApp(Smtp, Folder.Path, Source("0 0 3 1 1 ? 2099", "0/2 * * * * ?"));
        await app.SubscribeAndConfirmAsync("fresh-counts@example.org");
        // The source has many votes before the paper is stored: the schedule makes the digest every
        // 2 s, and one made between the import and the plan would have found the day unplanned.
        var fresh = System.Text.Json.JsonSerializer.Serialize(new[] { PaperFixtures.Item($"{today:yyMM}.99001", "Rising paper", 321, today) });
        Api.Plan(today.ToString("yyyy-MM-dd"), 0, Enumerable.Repeat(FakeDailyPapersApi.Json(fresh), 50).ToArray());
        // Stored with few votes; the fetch right before the digest brings the source's count.
        await app.ImportAsync(PaperFixtures.Item($"{today:yyMM}.99001", "Rising paper", 1, today));

        var mail = await Smtp.WaitForMailToAsync("fresh-counts@example.org", today.ToString("yyyy-MM-dd"));

        Assert.Contains("321 upvotes", mail.Message.TextBody);
    }

    [Fact]
    public async Task WithTheSourceDisabledNothingIsFetched()
    {
        var settings = Source("0/1 * * * * ?", "0 0 8 1 1 ? 2099");
        settings["PaperSources:HuggingFace:Enabled"] = "false";
        await using var app = new NewsletterApp(Smtp, Folder.Path, settings);
        using var admin = app.CreateAdminClient();

        var response = await admin.PostAsJsonAsync("/api/admin/papers/fetch", new { date = "2026-09-01" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        // A later request to the app has been answered after any start-up work; the source saw nothing.
        await app.SubscribeAsync("disabled-source@example.org");
        Assert.Empty(Api.Requests);
    }
}
