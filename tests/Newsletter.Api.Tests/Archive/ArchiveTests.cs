using System.Net;
using System.Text.RegularExpressions;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Archive;

public sealed partial class ArchiveTests(ArchiveFixture fixture) : IClassFixture<ArchiveFixture>
{
    private const string FeedLink = "<link rel=\"alternate\" type=\"application/atom+xml\"";

    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task TheArchiveListsDailyDigestsNewestFirstAndPagesByDateUntilTheOldest()
    {
        using var client = App.CreatePublicClient();

        var first = await client.GetAsync("/digests");
        var firstHtml = await first.Content.ReadAsStringAsync();
        var older = Regex.Match(firstHtml, "href=\"(/digests\\?before=[0-9-]+)\"").Groups[1].Value;
        var second = await client.GetAsync(older);
        var secondHtml = await second.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var expected = ArchiveFixture.Days.Reverse().ToList();
        Assert.Equal(expected.Take(30), DatesLinked(firstHtml));
        Assert.Equal($"/digests?before={expected[29]:yyyy-MM-dd}", older);
        // The weekly edition of the newest day is not a second entry: the archive is the daily digests.
        Assert.Equal(expected.Skip(30), DatesLinked(secondHtml));
        Assert.DoesNotContain("before=", secondHtml);
    }

    [Fact]
    public async Task EachDigestOfTheArchiveListsItsPapersLinkedToTheirPagesWithTheHostileTitleAsText()
    {
        using var client = App.CreatePublicClient();
        var html = await client.GetStringAsync("/digests");

        Assert.Contains("<a href=\"https://huggingface.co/papers/2604.02999\">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co", html);
        Assert.Contains($"Paper 1 of {ArchiveFixture.First.AddDays(10):yyyy-MM-dd}", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ABrokenStartDateIsABadRequestPageAndADateBeforeEveryDigestAnEmptyPage()
    {
        using var client = App.CreatePublicClient();

        var broken = await client.GetAsync("/digests?before=yesterday");
        var beforeAll = await client.GetAsync("/digests?before=2000-01-01");

        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, beforeAll.StatusCode);
        Assert.Contains("There are no older digests", await beforeAll.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/digests")]
    public async Task TheLandingPageAndTheArchiveNameTheAtomFeed(string path)
    {
        using var client = App.CreatePublicClient();
        var html = await client.GetStringAsync(path);

        var head = html[..html.IndexOf("</head>", StringComparison.Ordinal)];
        Assert.Contains(FeedLink + " title=\"Daily Papers (Atom)\" href=\"/digests.atom\">", head);
    }

    [Fact]
    public async Task TheLandingPageShowsTheLatestDigestsPapersUnderTheForm()
    {
        using var client = App.CreatePublicClient();
        var html = await client.GetStringAsync("/");

        var form = html.IndexOf("</form>", StringComparison.Ordinal);
        var latest = html.IndexOf($"{NewsletterApp.BaseUrl}/digests/{ArchiveFixture.Newest:yyyy-MM-dd}", StringComparison.Ordinal);
        Assert.True(form > 0 && latest > form);
        foreach (var rank in Enumerable.Range(1, 3))
            Assert.Contains($"<a href=\"https://huggingface.co/papers/{ArchiveFixture.Newest:yyMM}.{ArchiveFixture.Newest.Day:00}{rank:000}\">Paper {rank} of {ArchiveFixture.Newest:yyyy-MM-dd}</a> <span class=\"muted\">▲ {100 - rank} upvotes</span>", html);
        Assert.Contains("▲ 500 upvotes", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain($"Paper 1 of {ArchiveFixture.Newest.AddDays(-1):yyyy-MM-dd}", html);
    }

    private static List<DateOnly> DatesLinked(string html) =>
        DigestLink().Matches(html).Select(m => DateOnly.Parse(m.Groups[1].Value)).Distinct().ToList();

    [GeneratedRegex("<h2><a href=\"http://newsletter\\.test/digests/([0-9]{4}-[0-9]{2}-[0-9]{2})\">")]
    private static partial Regex DigestLink();
}
