using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Admin;

public sealed class SubscriberPagingTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task PagingThroughTheListFollowingNextLinksSeesEverySubscriberExactlyOnce()
    {
        var emails = Enumerable.Range(0, 250).Select(i => $"paged-{i:000}@example.org").ToList();
        await App.ImportSubscribersAsync(emails);
        using var admin = App.CreateAdminClient();

        var seen = new List<string>();
        var pages = 0;
        for (var next = "/api/admin/subscribers?status=active&limit=100"; next is not null; pages++)
        {
            var response = await admin.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(page.GetArrayLength() <= 100);
            Assert.All(page.EnumerateArray(), s =>
            {
                Assert.Equal("active", s.GetProperty("status").GetString());
                Assert.True(s.TryGetProperty("createdAt", out _) && s.TryGetProperty("confirmedAt", out _));
            });
            seen.AddRange(page.EnumerateArray().Select(s => s.GetProperty("email").GetString()!));
            next = NextLink(response);
            if (next is not null) Assert.Contains("status=active", next);
        }

        // Other tests of the class add subscribers too: at least three pages, nobody twice, everybody once.
        Assert.True(pages >= 3);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(emails, seen.Where(e => e.StartsWith("paged-")).Order());
    }

    [Fact]
    public async Task WithoutALimitAPageHoldsAtMostOneHundred()
    {
        await App.ImportSubscribersAsync(Enumerable.Range(0, 120).Select(i => $"default-limit-{i:000}@example.org"));
        using var admin = App.CreateAdminClient();

        var response = await admin.GetAsync("/api/admin/subscribers");

        Assert.Equal(100, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
        Assert.NotNull(NextLink(response));
    }

    [Fact]
    public async Task TheLastPageHasNoNextLink()
    {
        using var admin = App.CreateAdminClient();
        var response = await admin.GetAsync("/api/admin/subscribers?status=bounced&limit=1000");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=-5")]
    [InlineData("limit=many")]
    [InlineData("after=somewhere")]
    public async Task ALimitOutsideOneToAThousandOrABrokenCursorIsAProblem(string query)
    {
        using var admin = App.CreateAdminClient();
        var response = await admin.GetAsync($"/api/admin/subscribers?{query}");

        response.AssertProblem(HttpStatusCode.BadRequest);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains(query.Split('=')[0], detail, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The target of <c>Link: &lt;...&gt;; rel="next"</c>, or null.</summary>
    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values)) return null;
        var link = Assert.Single(values);
        Assert.EndsWith("; rel=\"next\"", link);
        return link[1..link.IndexOf('>')];
    }
}
