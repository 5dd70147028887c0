using System.Net;
using System.Net.Http.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Http;

public sealed class SecurityHeadersTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string Strict =
        "default-src 'none'; style-src 'unsafe-inline' 'self'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private NewsletterApp App => fixture.App;

    [Theory]
    [InlineData("/")]
    [InlineData("/no/such/page")]
    [InlineData("/unsubscribe?token=forged")]
    [InlineData("/subscriptions/confirm?token=forged")]
    [InlineData("/digests/not-a-date")]
    public async Task EveryPageForbidsScriptsFramingSniffingAndReferrersToOtherSites(string path)
    {
        using var client = App.CreatePublicClient();
        var response = await client.GetAsync(path);

        Assert.Contains("text/html", response.Content.Headers.ContentType!.ToString());
        AssertPageHeaders(response, "'none'");
    }

    [Fact]
    public async Task AFormAnswerCarriesTheSameHeaders()
    {
        using var client = App.CreatePublicClient();
        var response = await client.PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "nope" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertPageHeaders(response, "'none'");
    }

    [Fact]
    public async Task TheArchiveViewOfADigestCarriesThemAndTheAdminPreviewMayBeFramedOnlyByTheServiceItself()
    {
        var date = new DateOnly(2026, 8, 11);
        await App.ImportAsync(PaperFixtures.Day(date, 3));
        var (_, digest, _) = await App.TriggerAsync(date);
        using var client = App.CreatePublicClient();
        using var admin = App.CreateAdminClient();

        var archive = await client.GetAsync("/digests/2026-08-11");
        var preview = await admin.GetAsync($"/api/admin/digests/{digest.GetProperty("id").GetInt64()}/preview");

        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        AssertPageHeaders(archive, "'none'");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        AssertPageHeaders(preview, "'self'");
    }

    [Fact]
    public async Task JsonAndProblemAnswersAreNotSniffed()
    {
        using var client = App.CreatePublicClient();
        var accepted = await client.PostAsJsonAsync("/api/subscriptions", new { email = "headers@example.org" });
        var problem = await client.GetAsync("/api/no-such-endpoint");

        Assert.Equal(["nosniff"], accepted.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["nosniff"], problem.Headers.GetValues("X-Content-Type-Options"));
    }

    private static void AssertPageHeaders(HttpResponseMessage response, string frameAncestors)
    {
        var expected = Strict.Replace("frame-ancestors 'none'", $"frame-ancestors {frameAncestors}");
        Assert.Equal([expected], response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["same-origin"], response.Headers.GetValues("Referrer-Policy"));
    }
}
