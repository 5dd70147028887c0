using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Security;

namespace Newsletter.Api.Tests.Subscriptions;

/// <summary>Links in mail already sent keep working after the service restarts with no key configured.</summary>
public sealed class RestartTests : OwnFolderAndSmtp
{
    // No signing key and no admin key configured: both are generated on first start and stored.
    private static readonly Dictionary<string, string?> Unconfigured = new()
    {
        ["Newsletter:AdminApiKey"] = "",
        ["Newsletter:SigningKey"] = "",
    };

    [Fact]
    public async Task ConfirmAndUnsubscribeLinksSurviveARestart()
    {
        const string email = "restart@example.org";
        string confirmLink, unsubscribeToken;
        await using (var first = new NewsletterApp(Smtp, Folder.Path, Unconfigured))
        {
            confirmLink = await first.SubscribeAsync(email);
            var id = Tokens.SubscriberId(confirmLink);
            unsubscribeToken = first.Services.GetRequiredService<SubscriberTokens>().CreateUnsubscribe(id);
        }

        await using var second = new NewsletterApp(Smtp, Folder.Path, Unconfigured);
        using var client = second.CreatePublicClient();
        var confirmed = await client.PostAsync(NewsletterApp.PathOf(confirmLink), null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var unsubscribed = await client.PostAsync($"/unsubscribe?token={unsubscribeToken}", null);
        Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
    }

    [Fact]
    public async Task GeneratedAdminKeyIsPrintedOnceAndKeepsWorkingAfterARestart()
    {
        string key;
        await using (var first = new NewsletterApp(Smtp, Folder.Path, Unconfigured))
        {
            using var anonymous = first.CreatePublicClient();
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/admin/subscribers")).StatusCode);
            var line = Assert.Single(first.Logs.Lines, l => l.Contains("Generated admin API key"));
            key = line[(line.LastIndexOf(' ') + 1)..];
            using var admin = first.CreatePublicClient();
            admin.DefaultRequestHeaders.Authorization = new("Bearer", key);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/admin/subscribers")).StatusCode);
        }

        await using var second = new NewsletterApp(Smtp, Folder.Path, Unconfigured);
        using var client = second.CreatePublicClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/admin/subscribers")).StatusCode);
        Assert.DoesNotContain(second.Logs.Lines, l => l.Contains("Generated admin API key"));
    }
}
