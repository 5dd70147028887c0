using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Delivery;
using Newsletter.Core.Scheduling;

namespace Newsletter.Api.Tests.ReaderDigests;

/// <summary>Weekly readers, readers with their own hour, and a paper that reaches a reader at most once.</summary>
public sealed class WeeklyAndHourTests : OwnFolderAndSmtp
{
    // A Wednesday.
    private static readonly DateOnly Day = new(2026, 8, 12);

    private static object OnDay(DateOnly date, int n, int upvotes, string title = "A paper") =>
        PaperFixtures.Item($"{date:yyMM}.{date.Day:00}{n:000}", $"{title} {n} of {date:MM-dd}", upvotes, date);

    private static string IdOf(DateOnly date, int n) => $"{date:yyMM}.{date.Day:00}{n:000}";

    [Fact]
    public async Task AWeeklyMailHoldsTheBestOfItsSevenDaysAndGoesOnlyToWeeklyReaders()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, new Dictionary<string, string?> { ["Digest:MaxPapers"] = "3" });
        // Eight days of lists: the oldest is outside the week ending on Day, and holds its best paper.
        await app.ImportAsync(Enumerable.Range(0, 8).Select(back => OnDay(Day.AddDays(-back), 1, upvotes: 10 * back + 5)).ToArray());
        await app.SubscribeAndConfirmAsync("weekly@example.org", new { frequency = "weekly", weekday = "friday" });
        await app.SubscribeAndConfirmAsync("daily@example.org");

        var (status, body) = await app.TriggerAsync(Day, "weekly");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("weekly", body.GetProperty("edition").GetString());
        var id = body.GetProperty("id").GetInt64();
        var view = await app.WaitForDigestAsync(id, "sent");
        Assert.Equal(1, view.GetProperty("recipients").GetInt64());

        var weekly = Assert.Single(app.DigestsTo("weekly@example.org"));
        Assert.Equal([IdOf(Day.AddDays(-6), 1), IdOf(Day.AddDays(-5), 1), IdOf(Day.AddDays(-4), 1)], ReaderMail.PaperIds(weekly));
        Assert.Empty(app.DigestsTo("daily@example.org"));

        // The same date and edition again answer the first; the daily of that date is its own digest.
        var (again, same) = await app.TriggerAsync(Day, "weekly");
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(id, same.GetProperty("id").GetInt64());
        var (_, daily) = await app.TriggerAsync(Day, "daily");
        Assert.NotEqual(id, daily.GetProperty("id").GetInt64());
        await app.WaitForDigestAsync(daily.GetProperty("id").GetInt64(), "sent");
        Assert.Equal([IdOf(Day, 1)], ReaderMail.PaperIds(Assert.Single(app.DigestsTo("daily@example.org"))));
        Assert.Single(app.DigestsTo("weekly@example.org"));

        using var admin = app.CreateAdminClient();
        var bad = await admin.PostAsync("/api/admin/digests",
            new StringContent("""{"date":"2026-08-12","edition":"monthly"}""", System.Text.Encoding.UTF8, "application/json"));
        bad.AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task APaperReachesAReaderAtMostOnceWhenTheyMoveFromDailyToWeekly()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path);
        var monday = Day.AddDays(-2);
        await app.ImportAsync(OnDay(monday, 1, 50), OnDay(monday, 2, 40));
        const string email = "switcher@example.org";
        await app.SubscribeAndConfirmAsync(email);
        var (_, first) = await app.TriggerAsync(monday, "daily");
        await app.WaitForDigestAsync(first.GetProperty("id").GetInt64(), "sent");
        var daily = Assert.Single(app.DigestsTo(email));
        Assert.Equal([IdOf(monday, 1), IdOf(monday, 2)], ReaderMail.PaperIds(daily));

        // From the link in that mail the reader goes weekly; the week's mail holds only what they have not had.
        await app.PatchPreferencesAsync(ReaderMail.PreferencesLink(daily), new { frequency = "weekly" });
        await app.ImportAsync(OnDay(Day, 1, 30));
        var (_, week) = await app.TriggerAsync(Day, "weekly");
        await app.WaitForDigestAsync(week.GetProperty("id").GetInt64(), "sent");

        var weekly = app.DigestsTo(email)[^1];
        Assert.Equal([IdOf(Day, 1)], ReaderMail.PaperIds(weekly));
    }

    [Fact]
    public async Task TheMorningRunMakesTheWeeklyMailForTheReadersOfThatWeekday()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path);
        await app.ImportAsync(OnDay(Day, 1, 50), OnDay(Day.AddDays(-3), 1, 40));
        await app.SubscribeAndConfirmAsync("wednesday@example.org", new { frequency = "weekly", weekday = "wednesday" });
        await app.SubscribeAndConfirmAsync("monday@example.org", new { frequency = "weekly" });

        await app.Services.GetRequiredService<DailyDigest>().RunAsync(new DateTimeOffset(Day.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero), CancellationToken.None);

        var mail = await app.Smtp.WaitForMailToAsync("wednesday@example.org", "2026-08-12");
        Assert.Equal([IdOf(Day, 1), IdOf(Day.AddDays(-3), 1)], ReaderMail.PaperIds(mail.Message));
        Assert.Contains("week", mail.Message.Subject);
        Assert.Empty(app.DigestsTo("monday@example.org"));
    }

    [Fact]
    public async Task AReaderWithTheirOwnHourGetsTheMailWithinThatHourInTheirZone()
    {
        // 08:00 UTC is 10:00 in Berlin (summer time); the reader wants 11:00 Berlin, 09:00 UTC.
        var clock = new FakeTimeProvider(new DateTimeOffset(Day.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero));
        await using var app = new NewsletterApp(Smtp, Folder.Path) { Clock = clock };
        await app.ImportAsync(OnDay(Day, 1, 50));
        await app.SubscribeAndConfirmAsync("berlin@example.org", new { sendHour = 11, timeZone = "Europe/Berlin" });
        await app.SubscribeAndConfirmAsync("everyone@example.org");

        var (_, body) = await app.TriggerAsync(Day, "daily");
        var id = body.GetProperty("id").GetInt64();
        // The scheduler runs on the stopped clock: the send is started as its job would.
        await app.Services.GetRequiredService<DigestSender>().SendAsync(id, CancellationToken.None);
        Assert.Single(app.DigestsTo("everyone@example.org"));
        Assert.Empty(app.DigestsTo("berlin@example.org"));
        var waiting = await app.DigestStatusAsync(id);
        Assert.Equal("sending", waiting.GetProperty("status").GetString());
        Assert.Equal(1, waiting.GetProperty("pending").GetInt64());

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Empty(app.DigestsTo("berlin@example.org"));
        clock.Advance(TimeSpan.FromMinutes(1));
        await app.Smtp.WaitForMailToAsync("berlin@example.org", "2026-08-12");
        await app.WaitForDigestAsync(id, "sent");
    }
}
