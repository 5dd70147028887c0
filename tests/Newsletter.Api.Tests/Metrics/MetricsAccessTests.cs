using System.Net;
using System.Net.Http.Headers;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Metrics;

/// <summary>Who may read /metrics: the admin key's holder, or anyone when the operator allows it.</summary>
public sealed class MetricsAccessTests : OwnFolderAndSmtp
{
    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key-0123456789")]
    public async Task MetricsRefuseAMissingOrWrongKey(string? authorization)
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path);
        using var client = app.CreatePublicClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);

        var response = await client.SendAsync(request);

        response.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.DoesNotContain("newsletter_", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MetricsAreServedWithTheAdminKeyInPrometheusTextFormat()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path);
        using var admin = app.CreateAdminClient();

        var response = await admin.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE newsletter_messages_sent_total counter", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TenWrongKeysLockTheAddressOutOfMetricsToo()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path);
        using var client = app.CreatePublicClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-key-0123456789");
        for (var i = 0; i < 10; i++) await client.GetAsync("/metrics");

        var refused = await client.GetAsync("/metrics");
        using var admin = app.CreateAdminClient();
        var withTheKey = await admin.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, withTheKey.StatusCode);
    }

    [Fact]
    public async Task AllowAnonymousServesMetricsWithoutAKey()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, new Dictionary<string, string?> { ["Metrics:AllowAnonymous"] = "true" });
        using var client = app.CreatePublicClient();

        var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
