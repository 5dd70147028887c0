using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Digests;

/// <summary>
/// Paper data comes from outside. Text in it that looks like the place where a reader's own link
/// goes must stay text: the reader's token goes only where the template put it.
/// </summary>
public sealed partial class PersonalLinkTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    // What the service used as its fixed placeholder for the unsubscribe link before issue 8.
    private const string OldMarker = "https://unsubscribe.invalid/__NEWSLETTER_UNSUBSCRIBE__";
    private const string EvilPage = "https://evil.example/?next=" + OldMarker;

    private NewsletterApp App => fixture.App;

    private static object PaperQuotingTheMarker(string id, DateOnly date)
    {
        var item = JsonSerializer.SerializeToNode(PaperFixtures.Item(id, $"Leaking links {OldMarker} for fun", upvotes: 50, listDate: date,
            aiSummary: $"Click {OldMarker} to read more."))!;
        item["paper"]!["projectPage"] = EvilPage;
        return item;
    }

    [Fact]
    public async Task MarkerTextInPaperDataNeverCarriesTheReadersToken()
    {
        var date = new DateOnly(2026, 7, 1);
        const string email = "careful-reader@example.org";
        await App.SubscribeAndConfirmAsync(email);
        await App.ImportAsync(PaperQuotingTheMarker("2607.01001", date));

        var (status, body, _) = await App.TriggerAsync(date);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var mail = await App.Smtp.WaitForMailToAsync(email, "2026-07-01");
        await App.WaitForDigestAsync(body.GetProperty("id").GetInt64(), "sent");

        var header = mail.Message.Headers["List-Unsubscribe"]!;
        Assert.Matches(@"^<http://newsletter\.test/unsubscribe\?token=[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+>$", header);
        var unsubscribeUrl = header.Trim('<', '>');
        var token = Tokens.Of(unsubscribeUrl);
        var html = WebUtility.HtmlDecode(mail.Message.HtmlBody!);
        var text = mail.Message.TextBody!;

        // The reader's link is in the footer of both parts, once, and nowhere else.
        Assert.Single(Occurrences(html, token));
        Assert.Single(Occurrences(text, token));
        Assert.Contains($"href=\"{unsubscribeUrl}\"", html);
        Assert.Contains($"Unsubscribe in one click: {unsubscribeUrl}", text);

        // The paper's own data stays exactly as the source gave it.
        Assert.Contains($"href=\"{EvilPage}\"", html);
        Assert.Contains($"Site:  {EvilPage}", text);
        Assert.Contains($"Leaking links {OldMarker} for fun", html);
        Assert.Contains($"Leaking links {OldMarker} for fun", text);
        Assert.Contains($"Click {OldMarker} to read more.", html);
        Assert.All(Links().Matches(html + "\n" + text).Select(m => m.Value).Where(l => l.Contains("evil.example")),
            link => Assert.DoesNotContain("token=", link));
    }

    [Fact]
    public async Task ThePreviewFillsOnlyTheUnsubscribeSlot()
    {
        var date = new DateOnly(2026, 7, 2);
        await App.ImportAsync(PaperQuotingTheMarker("2607.02001", date));
        var (_, body, _) = await App.TriggerAsync(date);
        var id = body.GetProperty("id").GetInt64();

        using var admin = App.CreateAdminClient();
        var response = await admin.GetAsync($"/api/admin/digests/{id}/preview");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains($"href=\"{EvilPage}\"", html);
        Assert.Contains($"Leaking links {OldMarker} for fun", html);
        Assert.Single(Occurrences(html, "/unsubscribe?token=preview"));
    }

    private static IEnumerable<int> Occurrences(string text, string value)
    {
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
            yield return at;
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Links();
}
