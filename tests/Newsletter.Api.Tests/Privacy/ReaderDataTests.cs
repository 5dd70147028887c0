using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Api.Tests.AdminConsole;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Privacy;

/// <summary>
/// "Download my data" and "Delete me": a reader takes everything held about them, then has it erased;
/// afterwards no link of theirs works, no table holds their address, and past digests count as before.
/// </summary>
public sealed class ReaderDataTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly DateOnly Day = new(2026, 9, 14);

    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task AReaderDownloadsEverythingHeldAboutThemThenErasesItAndLeavesNoTrace()
    {
        const string email = "leaving.reader@example.org";
        await App.ImportAsync(PaperFixtures.Item("2609.14001", "Sparse attention at scale", 90, Day),
            PaperFixtures.Item("2609.14002", "Robots that fold laundry", 80, Day));
        using var browser = App.CreatePublicClient();
        browser.DefaultRequestHeaders.UserAgent.ParseAdd("PrivacyTest/1.0");
        var signUp = await browser.PostAsJsonAsync("/api/subscriptions", new { email, topics = new[] { "attention" } });
        Assert.Equal(HttpStatusCode.Accepted, signUp.StatusCode);
        var confirmation = (await App.Smtp.WaitForMailToAsync(email, "Confirm")).Message;
        var reader = await App.ConfirmAsync(email, Mail.ConfirmLink(confirmation));

        var (_, made) = await App.TriggerAsync(Day, "daily");
        var digestId = made.GetProperty("id").GetInt64();
        var digest = (await App.Smtp.WaitForMailToAsync(email, "2026-09-14")).Message;
        var sentBefore = await App.WaitForDigestAsync(digestId, "sent");
        var more = ReaderMail.FeedbackLinks(digest.HtmlBody!)[0];
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync(NewsletterApp.PathOf(more), null)).StatusCode);

        var export = await browser.GetAsync($"/api/me/export?token={Uri.EscapeDataString(reader.PreferencesToken)}");

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("attachment", export.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(".json", export.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var data = await export.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(email, data.GetProperty("email").GetString());
        Assert.Equal("active", data.GetProperty("status").GetString());
        Assert.Equal(["attention"], data.GetProperty("preferences").GetProperty("topics").Strings());
        var events = data.GetProperty("consentEvents").EnumerateArray().ToList();
        Assert.Equal(["subscribed", "confirmed"], events.Select(e => e.GetProperty("event").GetString()));
        Assert.Equal("PrivacyTest/1.0", events[0].GetProperty("userAgent").GetString());
        Assert.Equal("api", events[0].GetProperty("source").GetString());
        Assert.True(events[0].TryGetProperty("time", out _) && events[0].TryGetProperty("ip", out _));
        var vote = Assert.Single(data.GetProperty("votes").EnumerateArray());
        Assert.Equal(ReaderMail.PaperIds(digest)[0], vote.GetProperty("paper").GetString());
        Assert.Equal(1, vote.GetProperty("vote").GetInt32());
        var received = Assert.Single(data.GetProperty("digests").EnumerateArray());
        Assert.Equal("2026-09-14", received.GetProperty("date").GetString());
        Assert.Equal("daily", received.GetProperty("edition").GetString());
        Assert.Equal(ReaderMail.PaperIds(digest), received.GetProperty("papers").Strings());
        Assert.Equal(0, data.GetProperty("bounces").GetArrayLength());
        Assert.Equal("PrivacyTest/1.0", data.GetProperty("subscription").GetProperty("subscribeUserAgent").GetString());

        var erase = await browser.PostAsync($"/api/me/erase?token={Uri.EscapeDataString(reader.PreferencesToken)}", null);

        Assert.Equal(HttpStatusCode.NoContent, erase.StatusCode);
        // Every link from their old mails now answers as a forged one would.
        (await browser.GetAsync($"/api/me/export?token={Uri.EscapeDataString(reader.PreferencesToken)}")).AssertProblem(HttpStatusCode.BadRequest);
        (await browser.GetAsync(reader.Api)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync(NewsletterApp.PathOf(ReaderMail.PreferencesLink(digest)))).StatusCode);
        var unsubscribe = NewsletterApp.PathOf(Mail.LinkStartingWith(digest, NewsletterApp.BaseUrl + "/unsubscribe?token="));
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync(unsubscribe)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync(unsubscribe, null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync(NewsletterApp.PathOf(more), null)).StatusCode);
        (await browser.PostAsync(NewsletterApp.PathOf(more).Replace("/feedback?", "/api/feedback?"), null)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync(NewsletterApp.PathOf(Mail.ConfirmLink(confirmation)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync(NewsletterApp.PathOf(Mail.ConfirmLink(confirmation)), null)).StatusCode);
        // Erasing twice: the link no longer names anyone.
        (await browser.PostAsync($"/api/me/erase?token={Uri.EscapeDataString(reader.PreferencesToken)}", null)).AssertProblem(HttpStatusCode.BadRequest);

        Assert.Empty(await App.WhereAsync("leaving.reader@"));
        Assert.DoesNotContain(await App.AllSubscribersAsync(), s => s.GetProperty("email").GetString()!.Contains("leaving.reader", StringComparison.OrdinalIgnoreCase));
        var sentAfter = await App.DigestStatusAsync(digestId);
        foreach (var count in new[] { "recipients", "sent", "failed", "pending", "skipped" })
            Assert.Equal(sentBefore.GetProperty(count).GetInt64(), sentAfter.GetProperty(count).GetInt64());

        var import = await App.ImportSubscribersAsync(["leaving.reader@example.org", "fresh.import@example.org"]);
        Assert.Equal(1, import.GetProperty("imported").GetInt32());
        Assert.Equal(1, import.GetProperty("skipped").GetInt32());
        Assert.Null(await App.StatusOfAsync(email));
    }

    [Fact]
    public async Task AnErasedPersonWhoSignsUpAgainStartsAFreshConsentAndConfirmingLiftsTheSuppression()
    {
        const string email = "comes-back@example.org";
        var first = await App.JoinAsync(email);
        using var client = App.CreatePublicClient();
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/me/erase?token={Uri.EscapeDataString(first.PreferencesToken)}", null)).StatusCode);
        Assert.Equal(1, await App.SuppressedCountAsync(email));

        var link = await App.SignUpAsync(email);

        Assert.Equal("pending", await App.StatusOfAsync(email));
        Assert.Equal(["subscribed"], await App.ConsentEventsAsync(email));
        Assert.Equal(1, await App.SuppressedCountAsync(email));
        var again = await App.ConfirmAsync(email, link);
        Assert.Equal("active", await App.StatusOfAsync(email));
        Assert.Equal(["subscribed", "confirmed"], await App.ConsentEventsAsync(email));
        Assert.Equal(0, await App.SuppressedCountAsync(email));
        Assert.Equal(email, (await client.PreferencesAsync(again)).GetProperty("email").GetString());
        (await client.GetAsync(first.Api)).AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TheAdminErasesByAddressAndAnUnknownAddressIsNotFound()
    {
        const string email = "admin-erased@example.org";
        var reader = await App.JoinAsync(email);
        using var admin = App.CreateAdminClient();
        using var anonymous = App.CreatePublicClient();

        using var console = await ConsoleClient.SignedInAsync(App);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/api/admin/subscribers/{email}")).StatusCode);
        Assert.Equal("active", await App.StatusOfAsync(email));
        Assert.Contains(email, await console.GetStringAsync("/admin/subscribers?q=admin-erased"));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/admin/subscribers/Admin-Erased@example.org")).StatusCode);

        (await admin.DeleteAsync($"/api/admin/subscribers/{email}")).AssertProblem(HttpStatusCode.NotFound);
        (await admin.DeleteAsync("/api/admin/subscribers/never-was@example.org")).AssertProblem(HttpStatusCode.NotFound);
        (await anonymous.GetAsync(reader.Api)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Null(await App.StatusOfAsync(email));
        Assert.DoesNotContain(email, await console.GetStringAsync("/admin/subscribers?q=admin-erased"));
        Assert.DoesNotContain(email, await console.GetStringAsync("/admin/subscribers"));
        // The anonymous row left behind is no subscriber either.
        Assert.DoesNotContain("erased:", await console.GetStringAsync("/admin/subscribers?q=erased"));
        Assert.Empty(await App.WhereAsync(email));
        Assert.Equal(1, await App.SuppressedCountAsync(email));
    }

    [Fact]
    public async Task AForgedOrBorrowedTokenNeitherExportsNorErasesAnything()
    {
        var reader = await App.JoinAsync("guarded@example.org");
        var other = await App.JoinAsync("other-reader@example.org");
        using var client = App.CreatePublicClient();
        string[] forged =
        [
            Tokens.Tampered(reader.PreferencesToken),
            Tokens.WithPayload(reader.PreferencesToken, $"p:{other.Id}:{other.ConsentVersion}"),
            App.UnsubscribeToken(reader),
            "",
        ];

        foreach (var token in forged)
        {
            (await client.PostAsync($"/api/me/erase?token={Uri.EscapeDataString(token)}", null)).AssertProblem(HttpStatusCode.BadRequest);
            (await client.GetAsync($"/api/me/export?token={Uri.EscapeDataString(token)}")).AssertProblem(HttpStatusCode.BadRequest);
        }

        Assert.Equal("active", await App.StatusOfAsync(reader.Email));
        Assert.Equal("active", await App.StatusOfAsync(other.Email));
        Assert.Equal(0, await App.SuppressedCountAsync(reader.Email));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/me/export?token={Uri.EscapeDataString(reader.PreferencesToken)}")).StatusCode);
    }
}
