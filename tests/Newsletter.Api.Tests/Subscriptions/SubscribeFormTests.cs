using System.Net;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Subscriptions;

/// <summary>The landing page's form: only from this site, and bots that fill every field get nothing.</summary>
public sealed class SubscribeFormTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private NewsletterApp App => fixture.App;

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://newsletter.test.evil.example")]
    [InlineData("http://newsletter.test:8080")]
    [InlineData("https://newsletter.test")]
    [InlineData("null")]
    public async Task AFormPostedFromAnotherSiteIsRefusedWith403AndStoresNothing(string origin)
    {
        var email = $"cross-site-{Math.Abs(origin.GetHashCode())}@example.org";

        var response = await PostFormAsync(new() { ["email"] = email }, origin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType!.ToString());
        Assert.Null(await App.StatusOfAsync(email));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://newsletter.test")]
    [InlineData("http://NEWSLETTER.test:80")]
    [InlineData("http://localhost")]
    public async Task AFormFromThePublicAddressFromTheRequestsOwnHostOrWithoutOriginIsAccepted(string? origin)
    {
        var email = $"same-site-{Math.Abs((origin ?? "none").GetHashCode())}@example.org";

        var response = await PostFormAsync(new() { ["email"] = email }, origin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pending", await App.StatusOfAsync(email));
    }

    [Fact]
    public async Task TheLandingFormCarriesAHoneypotThatPeopleDoNotSeeOrReach()
    {
        using var client = App.CreatePublicClient();
        var page = await client.GetStringAsync("/");

        var field = System.Text.RegularExpressions.Regex.Match(page, "<input[^>]*name=\"website\"[^>]*>").Value;
        Assert.Contains("tabindex=\"-1\"", field);
        Assert.Contains("autocomplete=\"off\"", field);
        Assert.Matches("aria-hidden=\"true\"[^>]*style=\"[^\"]*left:-10000px", page);
    }

    [Fact]
    public async Task AFilledHoneypotLooksLikeSuccessButRecordsAndSendsNothing()
    {
        const string bot = "bot@example.org";
        var response = await PostFormAsync(new() { ["email"] = bot, ["website"] = "http://spam.example" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Check your inbox", await response.Content.ReadAsStringAsync());
        Assert.Null(await App.StatusOfAsync(bot));

        // A person's subscription after it gets its mail; by then the bot's would have been sent.
        const string person = "after-bot@example.org";
        await PostFormAsync(new() { ["email"] = person, ["website"] = "" });
        await App.Smtp.WaitForMailToAsync(person, "Confirm");
        Assert.Empty(App.Smtp.MailTo(bot));
    }

    [Fact]
    public async Task TokenLinksNeedNoOriginEvenFromAnotherSite()
    {
        const string email = "token-only@example.org";
        await App.SubscribeAndConfirmAsync(email);
        var id = Tokens.SubscriberId(Mail.ConfirmLink(App.Smtp.MailTo(email)[0].Message));
        var tokens = (Newsletter.Core.Security.SubscriberTokens)App.Services.GetService(typeof(Newsletter.Core.Security.SubscriberTokens))!;
        using var client = App.CreatePublicClient();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/unsubscribe?token={tokens.CreateUnsubscribe(id)}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }),
        };
        request.Headers.Add("Origin", "https://mail.example");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("unsubscribed", await App.StatusOfAsync(email));
    }

    private async Task<HttpResponseMessage> PostFormAsync(Dictionary<string, string> fields, string? origin = null)
    {
        using var client = App.CreatePublicClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/subscribe") { Content = new FormUrlEncodedContent(fields) };
        if (origin is not null) request.Headers.Add("Origin", origin);
        return await client.SendAsync(request);
    }
}
