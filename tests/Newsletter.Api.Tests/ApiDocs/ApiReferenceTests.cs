using System.Net;
using System.Text.RegularExpressions;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.ApiDocs;

public sealed partial class ApiReferenceTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task TheReferenceIsAPageWhoseScriptsAllComeFromTheServiceItself()
    {
        using var client = App.CreatePublicClient();
        var page = await OpenAsync(client);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var sources = ScriptSource().Matches(html).Select(m => m.Groups["src"].Value).ToList();
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var url = new Uri(page.RequestMessage!.RequestUri!, source);
            Assert.Equal(client.BaseAddress!.Authority, url.Authority);
            var script = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Contains("javascript", script.Content.Headers.ContentType!.MediaType);
        }
        // The document it shows is this service's own.
        Assert.Contains("openapi/v1.json", html);
        Assert.DoesNotContain("cdn.", html);
        Assert.DoesNotContain("fonts.", html);
    }

    [Fact]
    public async Task OnlyTheReferenceMayRunScriptsAndOnlyItsOwn()
    {
        using var client = App.CreatePublicClient();
        var reference = await OpenAsync(client);
        var landing = await client.GetAsync("/");

        var policy = reference.Headers.GetValues("Content-Security-Policy").Single();
        var scripts = policy.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        // 'self' and the hashes of the page's own inline scripts: nothing from elsewhere, no inline script added later.
        Assert.Matches("^script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')*$", scripts);
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("connect-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("script-src", landing.Headers.GetValues("Content-Security-Policy").Single());
    }

    /// <summary>/api/docs answers with a redirect to its folder, /api/docs/, as a browser follows it.</summary>
    private static async Task<HttpResponseMessage> OpenAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/docs");
        if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.MovedPermanently)
        {
            var target = new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!);
            Assert.Equal(client.BaseAddress!.Authority, target.Authority);
            response = await client.GetAsync(target);
        }
        return response;
    }

    [GeneratedRegex("<script[^>]*\\bsrc=\"(?<src>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSource();
}
