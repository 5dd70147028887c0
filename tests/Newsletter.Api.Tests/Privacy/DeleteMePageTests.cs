using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Privacy;

/// <summary>
/// The preferences page links "Download my data" and "Delete me"; opening "Delete me" asks once more
/// and erases nothing (mail scanners open links); only its button, posted from this site, erases.
/// </summary>
public sealed class DeleteMePageTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task ThePreferencesPageLinksTheDownloadAndTheDeletePageWhoseButtonErases()
    {
        var reader = await App.JoinAsync("page-leaver@example.org");
        using var browser = App.CreatePublicClient();
        var token = Uri.EscapeDataString(reader.PreferencesToken);

        var preferences = WebUtility.HtmlDecode(await browser.GetStringAsync(reader.Page));
        Assert.Contains($"<a href=\"/api/me/export?token={token}\">Download my data</a>", preferences);
        Assert.Contains($"<a href=\"/me/erase?token={token}\">Delete me</a>", preferences);

        var ask = await browser.GetAsync($"/me/erase?token={token}");
        await browser.GetAsync($"/me/erase?token={token}");

        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        var html = WebUtility.HtmlDecode(await ask.Content.ReadAsStringAsync());
        Assert.Contains($"<form method=\"post\" action=\"/me/erase?token={token}\">", html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<button"));
        Assert.Equal("active", await App.StatusOfAsync(reader.Email));

        using var elsewhere = new HttpRequestMessage(HttpMethod.Post, $"/me/erase?token={token}");
        elsewhere.Headers.Add("Origin", "https://evil.example");
        var refused = await browser.SendAsync(elsewhere);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        // About the form that was sent, whichever it was: not an invitation to subscribe.
        Assert.DoesNotContain("subscribe", (await refused.Content.ReadAsStringAsync()).ToLowerInvariant());
        Assert.Equal("active", await App.StatusOfAsync(reader.Email));

        using var press = new HttpRequestMessage(HttpMethod.Post, $"/me/erase?token={token}") { Content = new FormUrlEncodedContent([]) };
        press.Headers.Add("Origin", NewsletterApp.BaseUrl);
        var done = await browser.SendAsync(press);

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("erased", await done.Content.ReadAsStringAsync());
        Assert.Null(await App.StatusOfAsync(reader.Email));
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync(reader.Page)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync($"/me/erase?token={token}")).StatusCode);
    }

    [Fact]
    public async Task AReaderWhoUnsubscribedStillTakesTheirDataAndErasesIt()
    {
        var reader = await App.JoinAsync("already-left@example.org");
        using var client = App.CreatePublicClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/unsubscribe?token={App.UnsubscribeToken(reader)}", null)).StatusCode);
        var token = Uri.EscapeDataString(reader.PreferencesToken);

        var export = await client.GetFromJsonAsync<JsonElement>($"/api/me/export?token={token}");

        Assert.Equal("unsubscribed", export.GetProperty("status").GetString());
        Assert.Equal(["subscribed", "confirmed", "unsubscribed"],
            export.GetProperty("consentEvents").EnumerateArray().Select(e => e.GetProperty("event").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/me/erase?token={token}", null)).StatusCode);
        Assert.Null(await App.StatusOfAsync(reader.Email));
        Assert.Empty(await App.WhereAsync(reader.Email));
    }

    [Fact]
    public async Task AStrangerSigningUpTheAddressOfAReaderWhoLeftDoesNotLockThemOutOfTheirData()
    {
        var reader = await App.JoinAsync("locked-out@example.org");
        using var client = App.CreatePublicClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/unsubscribe?token={App.UnsubscribeToken(reader)}", null)).StatusCode);
        // Someone else puts the address in the form: a new pending consent, a new consent version.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/subscriptions", new { email = reader.Email })).StatusCode);
        Assert.Equal("pending", await App.StatusOfAsync(reader.Email));
        var token = Uri.EscapeDataString(reader.PreferencesToken);

        var export = await client.GetAsync($"/api/me/export?token={token}");

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal(reader.Email, (await export.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/me/erase?token={token}", null)).StatusCode);
        Assert.Null(await App.StatusOfAsync(reader.Email));
    }
}
