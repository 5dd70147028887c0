using System.Net;
using System.Net.Http.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Subscriptions;

public sealed class RateLimitedAppFixture : AppFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Newsletter:SubscribeLimitPerMinute"] = "3",
    };
}

public sealed class RateLimitTests(RateLimitedAppFixture fixture) : IClassFixture<RateLimitedAppFixture>
{
    [Fact]
    public async Task MoreSubscriptionsAMinuteThanTheLimitFromOneClientAreRefusedWith429()
    {
        using var client = fixture.App.CreatePublicClient();
        for (var i = 0; i < 3; i++)
        {
            var ok = await client.PostAsJsonAsync("/api/subscriptions", new { email = $"limit{i}@example.org" });
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }

        var refused = await client.PostAsJsonAsync("/api/subscriptions", new { email = "limit-over@example.org" });
        refused.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.Null(await fixture.App.StatusOfAsync("limit-over@example.org"));
    }
}
