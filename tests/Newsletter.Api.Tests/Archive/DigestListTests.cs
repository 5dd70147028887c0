using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Archive;

public sealed class DigestListTests(ArchiveFixture fixture) : IClassFixture<ArchiveFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task PagingThroughDigestsFollowingNextLinksSeesEveryDigestOnceNewestFirst()
    {
        using var admin = App.CreateAdminClient();

        var ids = new List<long>();
        var pages = 0;
        for (var next = "/api/admin/digests?limit=10"; next is not null; pages++)
        {
            var response = await admin.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.InRange(page.GetArrayLength(), 1, 10);
            ids.AddRange(page.EnumerateArray().Select(d => d.GetProperty("id").GetInt64()));
            next = NextLink(response);
        }

        // 33 daily digests and a weekly one.
        Assert.Equal(4, pages);
        Assert.Equal(34, ids.Count);
        Assert.Equal(ids.OrderDescending(), ids);
    }

    [Fact]
    public async Task EachDigestHasTheShapeOfItsOwnStatusAndWithoutALimitAllFitOnePage()
    {
        using var admin = App.CreateAdminClient();

        var response = await admin.GetAsync("/api/admin/digests");
        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        var newest = list[0];
        var own = await App.DigestStatusAsync(newest.GetProperty("id").GetInt64());

        Assert.Equal(34, list.GetArrayLength());
        Assert.Null(NextLink(response));
        Assert.Equal(own.EnumerateObject().Select(p => p.Name), newest.EnumerateObject().Select(p => p.Name));
        Assert.Equal(own.GetProperty("papers").ToString(), newest.GetProperty("papers").ToString());
        Assert.Equal("weekly", newest.GetProperty("edition").GetString());
        Assert.Equal(ArchiveFixture.Newest.ToString("yyyy-MM-dd"), newest.GetProperty("date").GetString());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=many")]
    [InlineData("before=somewhere")]
    [InlineData("before=0")]
    public async Task ALimitOutsideOneToAThousandOrABrokenCursorIsAProblem(string query)
    {
        using var admin = App.CreateAdminClient();
        var response = await admin.GetAsync($"/api/admin/digests?{query}");

        response.AssertProblem(HttpStatusCode.BadRequest);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains(query.Split('=')[0], detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("parameter", detail);
        Assert.DoesNotContain("int?", detail);
    }

    [Fact]
    public async Task WithoutTheAdminKeyTheListIsRefused()
    {
        using var client = App.CreatePublicClient();
        var response = await client.GetAsync("/api/admin/digests");

        response.AssertProblem(HttpStatusCode.Unauthorized);
    }

    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values)) return null;
        var link = Assert.Single(values);
        Assert.EndsWith("; rel=\"next\"", link);
        return link[1..link.IndexOf('>')];
    }
}
