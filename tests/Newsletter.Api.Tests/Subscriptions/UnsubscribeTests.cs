using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Security;

namespace Newsletter.Api.Tests.Subscriptions;

public sealed class UnsubscribeTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.App.CreatePublicClient();
    private SubscriberTokens Tokens => fixture.App.Services.GetRequiredService<SubscriberTokens>();

    private async Task<(long Id, string UnsubscribeToken)> ActiveSubscriberAsync(string email)
    {
        var link = await fixture.App.SubscribeAsync(email);
        await _client.PostAsync(NewsletterApp.PathOf(link), null);
        var id = Infrastructure.Tokens.SubscriberId(link);
        return (id, Tokens.CreateUnsubscribe(id));
    }

    [Fact]
    public async Task UnsubscribePageShowsAButtonAndChangesNothing()
    {
        const string email = "page-viewer@example.org";
        var (_, token) = await ActiveSubscriberAsync(email);

        var page = await _client.GetAsync($"/unsubscribe?token={token}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\" action=\"/unsubscribe?token=" + token + "\"", html);
        Assert.Contains("<button", html);
        Assert.Equal("active", await fixture.App.StatusOfAsync(email));
    }

    [Fact]
    public async Task OneClickPostUrlEncodedUnsubscribesWithoutCookieOrRedirect()
    {
        const string email = "one-click-form@example.org";
        var (_, token) = await ActiveSubscriberAsync(email);

        var body = new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
        var response = await _client.PostAsync($"/unsubscribe?token={token}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Null(response.Headers.Location);
        Assert.Equal("unsubscribed", await fixture.App.StatusOfAsync(email));

        var again = await _client.PostAsync($"/unsubscribe?token={token}",
            new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("unsubscribed", await fixture.App.StatusOfAsync(email));
    }

    [Fact]
    public async Task OneClickPostMultipartUnsubscribes()
    {
        const string email = "one-click-multipart@example.org";
        var (_, token) = await ActiveSubscriberAsync(email);

        using var body = new MultipartFormDataContent { { new StringContent("One-Click"), "List-Unsubscribe" } };
        var response = await _client.PostAsync($"/unsubscribe?token={token}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("unsubscribed", await fixture.App.StatusOfAsync(email));
    }

    [Fact]
    public async Task ConfirmTokenCannotUnsubscribe()
    {
        const string email = "wrong-purpose@example.org";
        var link = await fixture.App.SubscribeAsync(email);
        await _client.PostAsync(NewsletterApp.PathOf(link), null);
        var confirmToken = Infrastructure.Tokens.Of(link);

        var response = await _client.PostAsync($"/unsubscribe?token={Uri.EscapeDataString(confirmToken)}", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("active", await fixture.App.StatusOfAsync(email));
    }

    [Fact]
    public async Task UnsubscribeTokenCannotConfirm()
    {
        const string email = "unsub-cannot-confirm@example.org";
        var link = await fixture.App.SubscribeAsync(email);
        var id = Infrastructure.Tokens.SubscriberId(link);

        var page = await _client.GetAsync($"/subscriptions/confirm?token={Tokens.CreateUnsubscribe(id)}");
        var response = await _client.PostAsync($"/subscriptions/confirm?token={Tokens.CreateUnsubscribe(id)}", null);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("pending", await fixture.App.StatusOfAsync(email));
    }

    [Fact]
    public async Task TokenEditedIntoAnotherSubscribersIsRejected()
    {
        const string victim = "victim@example.org";
        const string attacker = "attacker@example.org";
        var (victimId, _) = await ActiveSubscriberAsync(victim);
        var (attackerId, attackerToken) = await ActiveSubscriberAsync(attacker);
        Assert.Equal($"u:{attackerId}", Infrastructure.Tokens.Payload(attackerToken));

        var forged = Infrastructure.Tokens.WithPayload(attackerToken, $"u:{victimId}");
        var response = await _client.PostAsync($"/unsubscribe?token={forged}", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("active", await fixture.App.StatusOfAsync(victim));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("dTox.AAAA")]
    [InlineData("....")]
    public async Task MalformedTokensAreRejectedWithAPage(string token)
    {
        var get = await _client.GetAsync($"/unsubscribe?token={Uri.EscapeDataString(token)}");
        var post = await _client.PostAsync($"/unsubscribe?token={Uri.EscapeDataString(token)}", null);
        var confirmPage = await _client.GetAsync($"/subscriptions/confirm?token={Uri.EscapeDataString(token)}");
        var confirm = await _client.PostAsync($"/subscriptions/confirm?token={Uri.EscapeDataString(token)}", null);
        foreach (var response in new[] { get, post, confirmPage, confirm })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("text/html", response.Content.Headers.ContentType!.ToString());
        }
    }

    [Fact]
    public async Task TamperedSignatureIsRejected()
    {
        const string email = "tampered@example.org";
        var (_, token) = await ActiveSubscriberAsync(email);
        var response = await _client.PostAsync($"/unsubscribe?token={Infrastructure.Tokens.Tampered(token)}", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("active", await fixture.App.StatusOfAsync(email));
    }

    [Fact]
    public async Task ExpiredConfirmationLinkIsRejectedAndTheAddressStaysPending()
    {
        const string email = "too-late@example.org";
        var link = await fixture.App.SubscribeAsync(email);
        var parts = Infrastructure.Tokens.Payload(Infrastructure.Tokens.Of(link)).Split(':');
        var expired = Tokens.CreateConfirm(long.Parse(parts[1]), long.Parse(parts[2]), DateTimeOffset.UtcNow.AddDays(-7).AddSeconds(-1));

        var page = await _client.GetAsync($"/subscriptions/confirm?token={expired}");
        var response = await _client.PostAsync($"/subscriptions/confirm?token={expired}", null);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("expired", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync());
        Assert.Equal("pending", await fixture.App.StatusOfAsync(email));
    }

    [Fact]
    public async Task ConfirmationLinksAreValidForSevenDays()
    {
        const string email = "seven-days@example.org";
        var link = await fixture.App.SubscribeAsync(email);
        var expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(Infrastructure.Tokens.Payload(Infrastructure.Tokens.Of(link)).Split(':')[3]));
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(7));
    }
}
