using System.Net;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.AdminConsole;

/// <summary>A send that stopped as failed is resumed from its console page once the cause is fixed.</summary>
public sealed class ConsoleResumeTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly ScriptedSmtpServer _relay = new() { Credentials = ("papers", "right-password") };
    private TestSmtpServer _unused = null!;
    private NewsletterApp _app = null!;

    public async Task InitializeAsync()
    {
        _unused = await TestSmtpServer.StartAsync();
        _app = new NewsletterApp(_unused, _folder.Path, new Dictionary<string, string?>
        {
            ["Smtp:Port"] = _relay.Port.ToString(),
            ["Smtp:Username"] = "papers",
            ["Smtp:Password"] = "old-password",
            ["Smtp:MaxAttempts"] = "2",
            ["Smtp:RetryBaseDelay"] = "00:00:00.010",
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _relay.DisposeAsync();
        await _unused.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task AFailedSendShowsItsReasonAndTheResumeButtonSendsTheRest()
    {
        var date = new DateOnly(2026, 10, 20);
        await _app.ImportSubscribersAsync(["resumed-reader@example.org"]);
        await _app.ImportAsync(PaperFixtures.Day(date, 1));
        using var client = await ConsoleClient.SignedInAsync(_app);
        var send = await client.PostFormAsync("/admin/digests", "/admin/digests", ("date", "2026-10-20"));
        var page = send.Headers.Location!.ToString();
        await _app.WaitForDigestAsync(long.Parse(page[(page.LastIndexOf('/') + 1)..]), "failed");

        var failedPage = await client.GetStringAsync(page);
        Assert.Contains("Authentication", failedPage, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Resume this send", failedPage);

        // The cause is fixed (the relay takes the service's password again), then the operator resumes.
        _relay.Credentials = ("papers", "old-password");
        var resume = await client.PostFormAsync(page, page + "/resume");

        Assert.Equal(HttpStatusCode.Redirect, resume.StatusCode);
        Assert.Equal(page, resume.Headers.Location!.ToString());
        await _app.WaitForDigestAsync(long.Parse(page[(page.LastIndexOf('/') + 1)..]), "sent");
        Assert.Equal(1, _relay.DeliveredTo("resumed-reader@example.org"));
        Assert.DoesNotContain("Resume this send", await client.GetStringAsync(page));
    }
}
