using System.ServiceModel.Syndication;
using System.Xml;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Archive;

public sealed class AtomFeedTests(ArchiveFixture fixture) : IClassFixture<ArchiveFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task TheFeedHoldsTheThirtyNewestDailyDigestsNewestFirstEachLinkingToItsWebView()
    {
        var (response, feed) = await ReadFeedAsync();

        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"{NewsletterApp.BaseUrl}/digests.atom", feed.Links.Single(l => l.RelationshipType == "self").Uri.ToString());
        Assert.False(string.IsNullOrWhiteSpace(feed.Id));
        Assert.False(string.IsNullOrWhiteSpace(feed.Title.Text));
        var expected = ArchiveFixture.Days.Reverse().Take(30).Select(d => $"{NewsletterApp.BaseUrl}/digests/{d:yyyy-MM-dd}").ToList();
        var items = feed.Items.ToList();
        Assert.Equal(expected, items.Select(i => i.Links.Single(l => l.RelationshipType == "alternate").Uri.ToString()));
        Assert.Equal(expected, items.Select(i => i.Id));
        Assert.All(items, i => Assert.NotEqual(default, i.LastUpdatedTime));
        Assert.Equal(items.Max(i => i.LastUpdatedTime), feed.LastUpdatedTime);

        var older = items[1];
        var day = ArchiveFixture.Newest.AddDays(-1);
        Assert.Contains($"{day:yyyy-MM-dd}", older.Title.Text);
        Assert.Contains($"Paper 1 of {day:yyyy-MM-dd}", older.Title.Text);
        Assert.Contains($"2. Paper 2 of {day:yyyy-MM-dd} (98 upvotes)", older.Summary.Text);
    }

    [Fact]
    public async Task AHostileTitleReadsBackAsTheSameTextWithoutCharactersXmlForbids()
    {
        var (_, feed) = await ReadFeedAsync();

        var newest = feed.Items.First();
        // What the reader shows is the title as text: markup in it stays text, and U+FFFE (which XML
        // cannot carry) is gone; the control character never got past the import.
        const string Shown = "<script>alert(\"x\")</script> & Co ]]> tokens";
        Assert.Contains(Shown, newest.Title.Text);
        Assert.Contains("1. " + Shown + " (500 upvotes)", newest.Summary.Text);
        var html = ((TextSyndicationContent)newest.Content).Text;
        Assert.Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co", html);
        Assert.DoesNotContain("<script", html);
    }

    private async Task<(HttpResponseMessage Response, SyndicationFeed Feed)> ReadFeedAsync()
    {
        using var client = App.CreatePublicClient();
        var response = await client.GetAsync("/digests.atom");
        response.EnsureSuccessStatusCode();
        // A standard parser with its strict defaults: a character XML forbids would fail it.
        using var reader = XmlReader.Create(await response.Content.ReadAsStreamAsync(), new XmlReaderSettings { CheckCharacters = true });
        var formatter = new Atom10FeedFormatter();
        formatter.ReadFrom(reader);
        return (response, formatter.Feed);
    }
}
