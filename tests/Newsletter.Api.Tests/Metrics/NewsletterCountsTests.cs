using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Metrics;

/// <summary>
/// The contract's series through the real pipeline. The service runs as its own process: meters
/// are process-wide, so another test's service in this process would add to the counts.
/// </summary>
public sealed class NewsletterCountsTests : OwnFolderAndSmtp
{
    private static readonly string[] Counters =
    [
        "newsletter_messages_sent_total", "newsletter_messages_failed_total", "newsletter_subscriptions_total",
        "newsletter_unsubscribes_total", "newsletter_paper_fetches_total",
    ];

    [Fact]
    public async Task EverySeriesOfTheContractIsExportedFromTheStartAtZero()
    {
        await using var service = await ServiceProcess.StartAsync(Folder.Path, ServiceProcess.Settings(Folder.Path, Smtp.Port));
        using var admin = service.AdminClient(NewsletterApp.AdminKey);
        // A finished request, so ASP.NET Core's request duration has a sample to export.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/health")).StatusCode);

        var scrape = await Scrape.FromAsync(admin);

        foreach (var kind in new[] { "digest", "confirmation" })
        {
            Assert.Equal(0, scrape.Value("newsletter_messages_sent_total", "kind", kind));
            Assert.Equal(0, scrape.Value("newsletter_messages_failed_total", "kind", kind));
        }
        foreach (var status in new[] { "pending", "active", "unsubscribed", "bounced" })
            Assert.Equal(0, scrape.Value("newsletter_subscribers", "status", status));
        Assert.Equal(0, scrape.Value("newsletter_subscriptions_total"));
        Assert.Equal(0, scrape.Value("newsletter_unsubscribes_total"));
        Assert.Equal(0, scrape.Value("newsletter_paper_fetches_total", "outcome", "ok"));
        Assert.Equal(0, scrape.Value("newsletter_paper_fetches_total", "outcome", "failed"));
        // Exactly these names: no unit suffix, no doubled _total.
        Assert.Equal([.. Counters.Append("newsletter_subscribers").Order(StringComparer.Ordinal)],
            scrape.Names.Where(n => n.StartsWith("newsletter_")).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains(scrape.Names, n => n.StartsWith("http_server_request_duration_seconds"));
    }

    [Fact]
    public async Task ADigestToThreeConfirmedReadersAddsExactlyThreeSentDigests()
    {
        await using var service = await ServiceProcess.StartAsync(Folder.Path, ServiceProcess.Settings(Folder.Path, Smtp.Port));
        using var admin = service.AdminClient(NewsletterApp.AdminKey);
        using var reader = new HttpClient { BaseAddress = new Uri(service.BaseUrl) };
        var readers = new[] { "count1@example.org", "count2@example.org", "count3@example.org" };
        foreach (var email in readers)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await reader.PostAsJsonAsync("/api/subscriptions", new { email })).StatusCode);
            var mail = await Smtp.WaitForMailToAsync(email, "Confirm");
            var confirmed = await reader.PostAsync(NewsletterApp.PathOf(Mail.ConfirmLink(mail.Message)), null);
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }
        var papers = await admin.PostAsync("/api/admin/papers",
            new StringContent(JsonSerializer.Serialize(PaperFixtures.Day(new DateOnly(2026, 11, 2), 3)), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, papers.StatusCode);

        var before = await Scrape.FromAsync(admin);
        var trigger = await admin.PostAsJsonAsync("/api/admin/digests", new { date = "2026-11-02" });
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        await WaitUntilSentAsync(admin, trigger.Headers.Location!.ToString());
        var sentBefore = before.Value("newsletter_messages_sent_total", "kind", "digest");
        var after = await Scrape.UntilAsync(admin, scrape => scrape.Value("newsletter_messages_sent_total", "kind", "digest") - sentBefore >= 3);

        Assert.Equal(3, after.Value("newsletter_messages_sent_total", "kind", "digest") - sentBefore);
        Assert.Equal(0, after.Value("newsletter_messages_failed_total", "kind", "digest"));
        Assert.Equal(3, after.Value("newsletter_messages_sent_total", "kind", "confirmation"));
        Assert.Equal(3, after.Value("newsletter_subscriptions_total"));
        Assert.Equal(3, after.Value("newsletter_subscribers", "status", "active"));
        // MailKit's meters: its connections to the relay, not one series per mail.
        Assert.Contains(after.Names, name => name.StartsWith("mailkit_net_smtp_client_connection_duration", StringComparison.Ordinal));
        Assert.DoesNotContain(after.Names, name => name.StartsWith("mailkit_net_smtp_client_operation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnsubscribeCountsOnceHoweverOftenTheLinkIsPosted()
    {
        await using var service = await ServiceProcess.StartAsync(Folder.Path, ServiceProcess.Settings(Folder.Path, Smtp.Port));
        using var admin = service.AdminClient(NewsletterApp.AdminKey);
        using var reader = new HttpClient { BaseAddress = new Uri(service.BaseUrl) };
        var import = await admin.PostAsync("/api/admin/subscribers/import",
            new StringContent("email\nleaver@example.org", System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var papers = await admin.PostAsync("/api/admin/papers",
            new StringContent(JsonSerializer.Serialize(PaperFixtures.Day(new DateOnly(2026, 11, 3), 2)), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, papers.StatusCode);
        var trigger = await admin.PostAsJsonAsync("/api/admin/digests", new { date = "2026-11-03" });
        await WaitUntilSentAsync(admin, trigger.Headers.Location!.ToString());
        var digest = Smtp.MailTo("leaver@example.org").Single().Message;
        var unsubscribe = NewsletterApp.PathOf(Mail.LinkStartingWith(digest, NewsletterApp.BaseUrl + "/unsubscribe?token="));

        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await reader.PostAsync(unsubscribe, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]))).StatusCode);
        var scrape = await Scrape.FromAsync(admin);

        Assert.Equal(1, scrape.Value("newsletter_unsubscribes_total"));
        // An import is no confirmed subscription.
        Assert.Equal(0, scrape.Value("newsletter_subscriptions_total"));
    }

    private static async Task WaitUntilSentAsync(HttpClient admin, string location)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = await admin.GetFromJsonAsync<JsonElement>(location);
            if (status.GetProperty("status").GetString() == "sent") return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The digest is {status}, not sent.");
            await Task.Delay(50);
        }
    }
}
