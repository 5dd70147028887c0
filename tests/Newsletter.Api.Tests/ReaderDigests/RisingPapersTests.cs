using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MimeKit;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.ReaderDigests;

/// <summary>
/// The Rising section: papers of the previous days' lists whose upvotes grew into their day's top
/// after their digest went out. The lists come from the stand-in Daily Papers API, refetched with
/// new counts as the real one serves them; the mail arrives over SMTP.
/// </summary>
public sealed class RisingPapersTests : OwnFolderSmtpAndPapersApi
{
    // A Monday, Tuesday and Wednesday.
    private static readonly DateOnly Day1 = new(2026, 7, 6);
    private static readonly DateOnly Day2 = Day1.AddDays(1);
    private static readonly DateOnly Day3 = Day1.AddDays(2);

    private const string Plain = "plain@example.org";
    private const string Newcomer = "newcomer@example.org";
    private const string Robots = "robots@example.org";
    private const string Diffusion = "diffusion@example.org";
    private const string Weekly = "weekly@example.org";

    // Day 1: twenty papers, 200 upvotes down to 10; the digest takes the first ten.
    private static string P(int n) => $"2607.06{n:000}";

    private static string TitleOf(int n) => n switch
    {
        12 => "Robot grasping from pixels",
        15 => "Diffusion models that paint proteins",
        _ => $"Paper {n} of the first day",
    };

    private static string Day1List(IReadOnlyDictionary<int, int>? counts = null) => JsonSerializer.Serialize(
        Enumerable.Range(1, 20).Select(n => PaperFixtures.Item(P(n), TitleOf(n), counts?.GetValueOrDefault(n, 210 - 10 * n) ?? 210 - 10 * n, Day1)));

    // The day after: the jumper from rank 15 to rank 1, one grown into the top, one that grew but
    // stays below the tenth, one that shrank, and one everyone of day 1 had that grew.
    private static readonly Dictionary<int, int> Counts2 = new() { [15] = 300, [12] = 175, [18] = 80, [3] = 170, [2] = 260 };

    private static string ListOf(DateOnly day, string prefix, params string[] titles) => JsonSerializer.Serialize(
        titles.Select((title, i) => PaperFixtures.Item($"{day:yyMM}.{day.Day:00}{i + 1:000}", $"{title} ({prefix})", 50 - i, day)));

    private static string Q(int n) => $"{Day2:yyMM}.{Day2.Day:00}{n:000}";

    private Dictionary<string, string?> Settings(string maxRising = "3") => new()
    {
        ["PaperSources:HuggingFace:Enabled"] = "true",
        ["PaperSources:HuggingFace:BaseUrl"] = Api.BaseUrl,
        ["PaperSources:HuggingFace:Cron"] = "0 0 3 1 1 ? 2099",
        ["PaperSources:HuggingFace:RetryDelay"] = "00:00:00.050",
        ["Digest:MaxRising"] = maxRising,
    };

    [Fact]
    public async Task APaperThatClimbedIntoItsDaysTopReachesEachReaderOnceUnderRising()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, Settings());
        await app.SubscribeAndConfirmAsync(Plain);
        await FetchAsync(app, Day1, Day1List());
        await SendAsync(app, Day1, "daily");
        Assert.Equal(Enumerable.Range(1, 10).Select(P), ReaderMail.PaperIds(Assert.Single(app.DigestsTo(Plain))));

        // Readers who join after day 1; the one of diffusion finds nothing of theirs on day 2's own list.
        await app.SubscribeAndConfirmAsync(Newcomer);
        await app.SubscribeAndConfirmAsync(Robots, new { topics = new[] { "robot" } });
        await app.SubscribeAndConfirmAsync(Diffusion, new { topics = new[] { "diffusion" } });
        await FetchAsync(app, Day1, Day1List(Counts2));
        await FetchAsync(app, Day2, ListOf(Day2, "day 2", "Robot navigation in crowds", "Sparse attention", "Tokenizers", "Speech codecs", "Graph search"));
        var day2 = await SendAsync(app, Day2, "daily");

        var plain = app.DigestsTo(Plain)[^1];
        var main = Enumerable.Range(1, 5).Select(Q).ToList();
        Assert.Equal([.. main, P(15), P(12)], ReaderMail.PaperIds(plain));
        Assert.Contains("Rising", plain.TextBody);
        Assert.Contains("Rising: ▲ 60 → 300 since the 6 Jul digest", plain.TextBody);
        Assert.Contains("Rising: ▲ 60 → 300 since the 6 Jul digest", WebUtility.HtmlDecode(plain.HtmlBody));
        Assert.Contains($"6. {TitleOf(15)}", plain.TextBody);
        Assert.Contains($"7. {TitleOf(12)}", plain.TextBody);
        // The ledger holds the papers in mail order, so paper N of the mail is the ledger's N-th.
        Assert.Equal([.. main, P(15), P(12)], await LedgerPapersAsync(app, day2, Plain));

        // Someone who had none of day 1 gets what grew most, the one everyone else had included.
        Assert.Equal([.. main, P(15), P(12), P(2)], ReaderMail.PaperIds(app.DigestsTo(Newcomer)[^1]));
        Assert.Equal([Q(1), P(12)], ReaderMail.PaperIds(app.DigestsTo(Robots)[^1]));
        Assert.Empty(app.DigestsTo(Diffusion));

        // The operator's preview of a reader's copy shows their Rising section too.
        using var admin = app.CreateAdminClient();
        var preview = WebUtility.HtmlDecode(await admin.GetStringAsync($"/api/admin/digests/{day2}/preview?email={Newcomer}"));
        Assert.Contains(TitleOf(15), preview);
        Assert.Contains("Rising: ▲ 190 → 260 since the 6 Jul digest", preview);

        // The whole pool's preview numbers the candidates on after the day's papers, below their heading.
        var pool = WebUtility.HtmlDecode(await admin.GetStringAsync($"/api/admin/digests/{day2}/preview"));
        Assert.Matches(new System.Text.RegularExpressions.Regex($"#5<.*>Rising<.*#6<.*{TitleOf(15)}.*#7<.*{TitleOf(12)}.*#8<.*{TitleOf(2)}",
            System.Text.RegularExpressions.RegexOptions.Singleline), pool);

        // "More like this" under a rising paper is a vote on that paper.
        var links = ReaderMail.FeedbackLinks(plain.HtmlBody ?? "");
        Assert.Equal(14, links.Count);
        using var client = app.CreatePublicClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(NewsletterApp.PathOf(links[10]), null)).StatusCode);
        var preferences = await client.GetFromJsonAsync<JsonElement>(
            NewsletterApp.PathOf(ReaderMail.PreferencesLink(plain)).Replace("/preferences?", "/api/preferences?"));
        var vote = Assert.Single(preferences.GetProperty("votes").EnumerateArray());
        Assert.Equal(P(15), vote.GetProperty("paper").GetString());
        Assert.Equal(1, vote.GetProperty("vote").GetInt32());

        // Day 3: the jumper grew again, and another paper of day 1 climbed; only the new one is rising for them now.
        await FetchAsync(app, Day1, Day1List(new Dictionary<int, int>(Counts2) { [15] = 400, [13] = 185 }));
        await FetchAsync(app, Day3, ListOf(Day3, "day 3", "Robot arms", "Vision encoders"));
        await SendAsync(app, Day3, "daily");
        var third = app.DigestsTo(Plain)[^1];
        Assert.Equal([$"{Day3:yyMM}.{Day3.Day:00}001", $"{Day3:yyMM}.{Day3.Day:00}002", P(13)], ReaderMail.PaperIds(third));
        Assert.Contains("Rising: ▲ 80 → 185 since the 6 Jul digest", third.TextBody);
        // Nothing rising for the reader of robots: no heading at all.
        var robots = app.DigestsTo(Robots)[^1];
        Assert.Equal([$"{Day3:yyMM}.{Day3.Day:00}001"], ReaderMail.PaperIds(robots));
        Assert.DoesNotContain("Rising", robots.TextBody);
        Assert.DoesNotContain("Rising", robots.HtmlBody);
    }

    [Fact]
    public async Task WeeklyReadersGetNoRisingSection()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, Settings());
        await app.SubscribeAndConfirmAsync(Plain);
        await app.SubscribeAndConfirmAsync(Weekly, new { frequency = "weekly" });
        await FetchAsync(app, Day1, Day1List());
        await SendAsync(app, Day1, "daily");
        await FetchAsync(app, Day1, Day1List(Counts2));
        await FetchAsync(app, Day2, ListOf(Day2, "day 2", "Sparse attention"));

        await SendAsync(app, Day2, "daily");
        await SendAsync(app, Day2, "weekly");

        Assert.Contains("Rising", app.DigestsTo(Plain)[^1].TextBody);
        var weekly = Assert.Single(app.DigestsTo(Weekly));
        Assert.DoesNotContain("Rising", weekly.TextBody);
        Assert.DoesNotContain("Rising", weekly.HtmlBody);
        // The week is ranked on today's counts: the jumper leads it as one of the week's papers.
        Assert.Equal(P(15), ReaderMail.PaperIds(weekly)[0]);
    }

    [Fact]
    public async Task MaxRisingZeroLeavesTheSectionOut()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, Settings(maxRising: "0"));
        await app.SubscribeAndConfirmAsync(Plain);
        await FetchAsync(app, Day1, Day1List());
        await SendAsync(app, Day1, "daily");
        await FetchAsync(app, Day1, Day1List(Counts2));
        await FetchAsync(app, Day2, ListOf(Day2, "day 2", "Sparse attention", "Tokenizers"));

        await SendAsync(app, Day2, "daily");

        var mail = app.DigestsTo(Plain)[^1];
        Assert.Equal([Q(1), Q(2)], ReaderMail.PaperIds(mail));
        Assert.DoesNotContain("Rising", mail.TextBody);
    }

    [Fact]
    public async Task TheFetchScheduleRefreshesTheDaysRisingLooksBackOn()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var settings = Settings();
        settings["PaperSources:HuggingFace:Cron"] = "0/2 * * * * ?";
        settings["Digest:RisingDays"] = "4";
        await using var app = new NewsletterApp(Smtp, Folder.Path, settings);
        _ = app.Server;

        await Api.WaitForRequestAsync(q => q.StartsWith($"date={today.AddDays(-4):yyyy-MM-dd}&"));
        foreach (var back in Enumerable.Range(0, 4)) Assert.True(Api.RequestsFor($"{today.AddDays(-back):yyyy-MM-dd}") > 0);
        Assert.Equal(0, Api.RequestsFor($"{today.AddDays(-5):yyyy-MM-dd}"));
    }

    [Theory]
    [InlineData("Digest:MaxRising", "11")]
    [InlineData("Digest:MaxRising", "-1")]
    [InlineData("Digest:RisingDays", "0")]
    public async Task AnOutOfRangeRisingSettingStopsTheStartNamingTheKey(string key, string value)
    {
        var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
        settings[key] = value;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(Folder.Path, settings));

        Assert.Contains("The service exited", error.Message);
        Assert.Contains(key.Split(':')[^1], error.Message);
    }

    /// <summary>The operator's fetch of a day, answered by the stand-in API with <paramref name="payload"/>.</summary>
    private async Task FetchAsync(NewsletterApp app, DateOnly day, string payload)
    {
        Api.Plan(day.ToString("yyyy-MM-dd"), 0, FakeDailyPapersApi.Json(payload));
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/api/admin/papers/fetch", new { date = day.ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<long> SendAsync(NewsletterApp app, DateOnly day, string edition)
    {
        var (status, body) = await app.TriggerAsync(day, edition);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = body.GetProperty("id").GetInt64();
        await app.WaitForDigestAsync(id, "sent");
        return id;
    }

    // What the ledger says the reader got, in its order, as paper ids.
    private static async Task<IReadOnlyList<string>> LedgerPapersAsync(NewsletterApp app, long digestId, string email)
    {
        await using var connection = await app.Database.OpenAsync(CancellationToken.None);
        var positions = await connection.QuerySingleAsync<string>(
            "SELECT d.papers FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.digest_id = @digestId AND s.email = @email",
            new { digestId, email });
        var pool = (await connection.QueryAsync<(long Position, string PaperId)>(
            "SELECT position, paper_id FROM digest_papers WHERE digest_id = @digestId", new { digestId })).ToDictionary(r => r.Position, r => r.PaperId);
        return positions.Split(',').Select(p => pool[long.Parse(p)]).ToList();
    }
}
