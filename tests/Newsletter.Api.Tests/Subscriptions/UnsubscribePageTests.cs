using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Security;

namespace Newsletter.Api.Tests.Subscriptions;

/// <summary>An unsubscribe link can be forwarded with the mail: the page it opens must not tell who the reader is.</summary>
public sealed class UnsubscribePageTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.App.CreatePublicClient();

    private async Task<string> UnsubscribeTokenOfAsync(string email)
    {
        var link = await fixture.App.SubscribeAsync(email);
        await _client.PostAsync(NewsletterApp.PathOf(link), null);
        return fixture.App.Services.GetRequiredService<SubscriberTokens>().CreateUnsubscribe(Tokens.SubscriberId(link));
    }

    [Fact]
    public async Task UnsubscribePageShowsTheAddressMasked()
    {
        var token = await UnsubscribeTokenOfAsync("jane.reader@example.org");

        var page = await _client.GetAsync($"/unsubscribe?token={token}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains("j•••@example.org", html);
        Assert.DoesNotContain("jane.reader", html);
    }

    [Fact]
    public async Task PageForAnAddressThatLeftShowsItMaskedToo()
    {
        var token = await UnsubscribeTokenOfAsync("gone.reader@example.org");
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync($"/unsubscribe?token={token}", null)).StatusCode);

        var html = WebUtility.HtmlDecode(await (await _client.GetAsync($"/unsubscribe?token={token}")).Content.ReadAsStringAsync());

        Assert.Contains("You are not subscribed", html);
        Assert.Contains("g•••@example.org", html);
        Assert.DoesNotContain("gone.reader", html);
    }
}
