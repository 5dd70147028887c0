using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Subscriptions;

/// <summary>
/// Security scanners open every link in a message, some with HEAD, some more than once. A
/// confirmation link they open must not subscribe an address whose owner never pressed Confirm.
/// </summary>
public sealed class ScannerSafeConfirmTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task OpeningTheLinkShowsAConfirmButtonAndChangesNothing()
    {
        const string email = "scanned@example.org";
        var link = await fixture.App.SubscribeAsync(email);
        using var scanner = fixture.App.CreatePublicClient();

        for (var i = 0; i < 3; i++)
        {
            var page = await scanner.GetAsync(NewsletterApp.PathOf(link));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("Confirm your subscription", html);
            // The button posts the same link back, token and all.
            Assert.Contains($"<form method=\"post\" action=\"{NewsletterApp.PathOf(link)}\">", html);
            Assert.DoesNotContain("/preferences?token=", html);
        }
        await scanner.SendAsync(new HttpRequestMessage(HttpMethod.Head, NewsletterApp.PathOf(link)));

        Assert.Equal("pending", await fixture.App.StatusOfAsync(email));
    }

    [Fact]
    public async Task PressingConfirmSubscribesWithNoCookieOrOriginAndShowsThePreferencesLink()
    {
        const string email = "pressed@example.org";
        var link = await fixture.App.SubscribeAsync(email);
        using var reader = fixture.App.CreatePublicClient();

        var confirmed = await reader.PostAsync(NewsletterApp.PathOf(link), null);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var html = await confirmed.Content.ReadAsStringAsync();
        Assert.Contains("You are subscribed", html);
        Assert.StartsWith(NewsletterApp.BaseUrl + "/preferences?token=", Readers.PreferencesLinkOn(html));
        Assert.Equal("active", await fixture.App.StatusOfAsync(email));

        // Pressed twice (a double click, the back button): the same answer, nothing recorded twice.
        var again = await reader.PostAsync(NewsletterApp.PathOf(link), null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("You are subscribed", await again.Content.ReadAsStringAsync());

        // Opened again later: says so, still without acting.
        var page = await reader.GetAsync(NewsletterApp.PathOf(link));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("already confirmed", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ALinkFromBeforeAnUnsubscribeNeitherShowsAButtonNorConfirms()
    {
        const string email = "left-then-scanned@example.org";
        var link = await fixture.App.SubscribeAsync(email);
        using var reader = fixture.App.CreatePublicClient();
        Assert.Equal(HttpStatusCode.OK, (await reader.PostAsync(NewsletterApp.PathOf(link), null)).StatusCode);
        var unsubscribe = fixture.App.Services.GetRequiredService<Newsletter.Core.Security.SubscriberTokens>().CreateUnsubscribe(Tokens.SubscriberId(link));
        Assert.Equal(HttpStatusCode.OK, (await reader.PostAsync($"/unsubscribe?token={unsubscribe}", null)).StatusCode);

        var page = await reader.GetAsync(NewsletterApp.PathOf(link));
        var pressed = await reader.PostAsync(NewsletterApp.PathOf(link), null);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.DoesNotContain("<form", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, pressed.StatusCode);
        Assert.Equal("unsubscribed", await fixture.App.StatusOfAsync(email));
    }

    [Fact]
    public async Task AnEditedTokenIsRefusedOnBothThePageAndTheButton()
    {
        const string email = "edited-confirm@example.org";
        var link = await fixture.App.SubscribeAsync(email);
        var tampered = NewsletterApp.PathOf(link).Replace(Tokens.Of(link), Tokens.Tampered(Tokens.Of(link)));
        using var stranger = fixture.App.CreatePublicClient();

        Assert.Equal(HttpStatusCode.BadRequest, (await stranger.GetAsync(tampered)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await stranger.PostAsync(tampered, null)).StatusCode);
        Assert.Equal("pending", await fixture.App.StatusOfAsync(email));
    }
}
