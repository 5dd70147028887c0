using System.Net;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Digests;

/// <summary>Which papers a digest holds: the contract's rule, through the real import and database.</summary>
public sealed class DigestSelectionTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private NewsletterApp App => fixture.App;

    private static string[] PaperIds(System.Text.Json.JsonElement digest) =>
        digest.GetProperty("papers").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToArray();

    [Fact]
    public async Task PapersAreRankedByUpvotesThenCommentsThenNewerAndCappedAtMaxPapers()
    {
        var date = new DateOnly(2026, 7, 1);
        var day = new DateTimeOffset(2026, 6, 20, 0, 0, 0, TimeSpan.Zero);
        var items = new List<object>
        {
            PaperFixtures.Item("2607.00001", "Fewer votes", 5, date),
            PaperFixtures.Item("2607.00002", "Most votes", 50, date),
            PaperFixtures.Item("2607.00003", "Tie, more comments", 20, date, comments: 9),
            PaperFixtures.Item("2607.00004", "Tie, fewer comments", 20, date, comments: 1),
            PaperFixtures.Item("2607.00005", "Tie, same comments, newer", 10, date, comments: 2, publishedAt: day.AddDays(3)),
            PaperFixtures.Item("2607.00006", "Tie, same comments, older", 10, date, comments: 2, publishedAt: day),
            PaperFixtures.Item("2607.00099", "Another day's paper", 999, date.AddDays(1)),
        };
        items.AddRange(Enumerable.Range(10, 10).Select(i => PaperFixtures.Item($"2607.000{i}", $"Filler {i}", 1, date)));
        await App.ImportAsync(items.ToArray());

        var (status, digest, _) = await App.TriggerAsync(date);

        Assert.Equal(HttpStatusCode.Accepted, status);
        var ids = PaperIds(digest);
        Assert.Equal(10, ids.Length);
        Assert.Equal(["2607.00002", "2607.00003", "2607.00004", "2607.00005", "2607.00006", "2607.00001"], ids[..6]);
        Assert.DoesNotContain("2607.00099", ids);
        Assert.Equal([50L, 20, 20, 10, 10, 5], digest.GetProperty("papers").EnumerateArray().Take(6).Select(p => p.GetProperty("upvotes").GetInt64()));
    }

    [Fact]
    public async Task APaperSentInAnEarlierDigestIsNeverSentAgain()
    {
        var first = new DateOnly(2026, 7, 10);
        var second = first.AddDays(1);
        await App.ImportAsync(PaperFixtures.Item("2607.10001", "Listed twice", 40, first));
        var (_, firstDigest, _) = await App.TriggerAsync(first);
        Assert.Equal(["2607.10001"], PaperIds(firstDigest));

        // The source lists it again the next day, with more votes than anything else.
        await App.ImportAsync(
            PaperFixtures.Item("2607.10001", "Listed twice", 90, second),
            PaperFixtures.Item("2607.10002", "New on the second day", 3, second));
        var (_, secondDigest, _) = await App.TriggerAsync(second);

        Assert.Equal(["2607.10002"], PaperIds(secondDigest));
    }

    [Fact]
    public async Task ReimportingUpdatesCountsWithoutDuplicatingPapers()
    {
        var date = new DateOnly(2026, 7, 20);
        var first = await App.ImportAsync(PaperFixtures.Item("2607.20001", "Growing", 3, date));
        Assert.Equal("""{"imported":1,"updated":0,"skipped":[]}""", first);
        var second = await App.ImportAsync(PaperFixtures.Item("2607.20001", "Growing", 30, date));
        Assert.Equal("""{"imported":0,"updated":1,"skipped":[]}""", second);

        var (_, digest, _) = await App.TriggerAsync(date);
        var paper = Assert.Single(digest.GetProperty("papers").EnumerateArray());
        Assert.Equal(30, paper.GetProperty("upvotes").GetInt64());
    }

    [Theory]
    [InlineData("[{\"paper\": ")]
    [InlineData("{\"paper\": {}}")]
    [InlineData("not json")]
    public async Task PaperImportWithInvalidJsonIsRefusedAndStoresNothing(string json)
    {
        using var admin = App.CreateAdminClient();
        var response = await admin.PostAsync("/api/admin/papers", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        response.AssertProblem(HttpStatusCode.BadRequest);
    }
}
