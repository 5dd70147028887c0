using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Digests;

public sealed class EveryTwoSecondsFixture : AppFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Digest:Cron"] = "0/2 * * * * ?",
        ["Digest:TimeZone"] = "UTC",
    };
}

public sealed class ScheduleTests(EveryTwoSecondsFixture fixture) : IClassFixture<EveryTwoSecondsFixture>
{
    [Fact]
    public async Task TheScheduleMakesAndSendsTodaysDigestWhenItFires()
    {
        // At start there was nothing for today, so the start-up catch-up had nothing to send:
        // only the cron trigger can make this digest.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await fixture.App.SubscribeAndConfirmAsync("scheduled@example.org");
        await fixture.App.ImportAsync(PaperFixtures.Day(today, 3));

        var mail = await fixture.Smtp.WaitForMailToAsync("scheduled@example.org", today.ToString("yyyy-MM-dd"));

        Assert.Contains($"Paper 1 of {today:yyyy-MM-dd}", mail.Message.HtmlBody);
        Assert.Single(fixture.Smtp.MailTo("scheduled@example.org"), m => m.Message.Subject!.Contains(today.ToString("yyyy-MM-dd")));
    }
}
