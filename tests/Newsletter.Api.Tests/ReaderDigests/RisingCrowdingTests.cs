using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.ReaderDigests;

/// <summary>
/// With long digests, the previous day's whole top grows (it was read) and outgrows a paper that
/// climbed into it: the climber must still be a candidate, or the readers who had that top, who are
/// most readers, never see it rise.
/// </summary>
public sealed class RisingCrowdingTests : OwnFolderSmtpAndPapersApi
{
    private static readonly DateOnly Day1 = new(2026, 8, 3);
    private static readonly DateOnly Day2 = Day1.AddDays(1);
    private const int Top = 60;

    private static string P(int n) => $"2608.03{n:000}";

    // Seventy papers, 1000 upvotes down; the digest holds the first sixty.
    private static string Day1List(bool grown) => JsonSerializer.Serialize(Enumerable.Range(1, 70).Select(n =>
        PaperFixtures.Item(P(n), $"Paper {n} of a long day",
            1000 - 10 * n + (grown && n <= Top ? 500 : 0) + (grown && n == 65 ? 200 : 0), Day1)));

    [Fact]
    public async Task APaperThatClimbedIntoALongTopIsRisingEvenWhenTheWholeTopGrewMore()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, new Dictionary<string, string?>
        {
            ["PaperSources:HuggingFace:Enabled"] = "true",
            ["PaperSources:HuggingFace:BaseUrl"] = Api.BaseUrl,
            ["PaperSources:HuggingFace:Cron"] = "0 0 3 1 1 ? 2099",
            ["Digest:MaxPapers"] = Top.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Digest:RisingDays"] = "1",
        });
        const string reader = "long-top@example.org";
        await app.SubscribeAndConfirmAsync(reader);
        await FetchAsync(app, Day1, Day1List(grown: false));
        await SendAsync(app, Day1);

        // Every paper of the top grew by 500; #65 by 200, from 350 to 550, past #60's old 400.
        await FetchAsync(app, Day1, Day1List(grown: true));
        await FetchAsync(app, Day2, JsonSerializer.Serialize(new[] { PaperFixtures.Item("2608.04001", "The one paper of day two", 30, Day2) }));
        await SendAsync(app, Day2);

        var day2 = app.DigestsTo(reader)[^1];
        Assert.Equal(["2608.04001", P(65)], ReaderMail.PaperIds(day2));
        Assert.Contains("Rising: ▲ 350 → 550", day2.TextBody);
    }

    private async Task FetchAsync(NewsletterApp app, DateOnly day, string payload)
    {
        Api.Plan(day.ToString("yyyy-MM-dd"), 0, FakeDailyPapersApi.Json(payload));
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/api/admin/papers/fetch", new { date = day.ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task SendAsync(NewsletterApp app, DateOnly day)
    {
        var (status, body) = await app.TriggerAsync(day, "daily");
        Assert.Equal(HttpStatusCode.Accepted, status);
        await app.WaitForDigestAsync(body.GetProperty("id").GetInt64(), "sent");
    }
}
