using System.Net;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.AdminConsole;

/// <summary>A send that stopped as failed is resumed from its console page once the cause is fixed.</summary>
public sealed class ConsoleResumeTests() : BehindScriptedRelay(new ScriptedSmtpServer { Credentials = ("papers", "right-password") })
{
    protected override Dictionary<string, string?> Settings => new()
    {
        ["Smtp:Username"] = "papers",
        ["Smtp:Password"] = "old-password",
        ["Smtp:MaxAttempts"] = "2",
        ["Smtp:RetryBaseDelay"] = "00:00:00.010",
    };

    [Fact]
    public async Task AFailedSendShowsItsReasonAndTheResumeButtonSendsTheRest()
    {
        var date = new DateOnly(2026, 10, 20);
        await App.ImportSubscribersAsync(["resumed-reader@example.org"]);
        await App.ImportAsync(PaperFixtures.Day(date, 1));
        using var client = await ConsoleClient.SignedInAsync(App);
        var send = await client.PostFormAsync("/admin/digests", "/admin/digests", ("date", "2026-10-20"));
        var page = send.Headers.Location!.ToString();
        await App.WaitForDigestAsync(long.Parse(page[(page.LastIndexOf('/') + 1)..]), "failed");

        var failedPage = await client.GetStringAsync(page);
        Assert.Contains("Authentication", failedPage, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Resume this send", failedPage);

        // The cause is fixed (the relay takes the service's password again), then the operator resumes.
        Relay.Credentials = ("papers", "old-password");
        var resume = await client.PostFormAsync(page, page + "/resume");

        Assert.Equal(HttpStatusCode.Redirect, resume.StatusCode);
        Assert.Equal(page, resume.Headers.Location!.ToString());
        await App.WaitForDigestAsync(long.Parse(page[(page.LastIndexOf('/') + 1)..]), "sent");
        Assert.Equal(1, Relay.DeliveredTo("resumed-reader@example.org"));
        Assert.DoesNotContain("Resume this send", await client.GetStringAsync(page));
    }
}
