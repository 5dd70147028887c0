using System.Net;
using System.ServiceModel.Syndication;
using System.Xml;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Archive;

/// <summary>Before the first digest every public page answers, and says so.</summary>
public sealed class EmptyArchiveTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task WithoutDigestsTheArchiveTheFeedAndTheLandingPageAnswerWithNothingToList()
    {
        using var client = App.CreatePublicClient();

        var archive = await client.GetAsync("/digests");
        var feed = await client.GetAsync("/digests.atom");
        var landing = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        Assert.Contains("No digest has been sent yet", await archive.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        var parsed = SyndicationFeed.Load(XmlReader.Create(await feed.Content.ReadAsStreamAsync()));
        Assert.Empty(parsed.Items);
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        var html = await landing.Content.ReadAsStringAsync();
        Assert.Contains("Get trending papers in your email inbox!", html);
        Assert.DoesNotContain("The latest digest", html);
    }
}
