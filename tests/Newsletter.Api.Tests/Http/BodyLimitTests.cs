using System.Net;
using System.Net.Http.Json;
using System.Text;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Http;

/// <summary>
/// Limits are on the bytes read, not on what the client declares: over an endpoint's limit the
/// answer is 413 and nothing is stored, with or without a Content-Length.
/// </summary>
public sealed class BodyLimitTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private NewsletterApp App => fixture.App;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AJsonSubscriptionOverSixteenKilobytesIsRefusedWith413AndStoresNothing(bool lengthDeclared)
    {
        var email = $"big-json-{lengthDeclared}@example.org";
        var json = $"{{\"email\": \"{email}\"{new string(' ', 20 * 1024)}}}";
        using var client = App.CreatePublicClient();

        var response = await client.SendAsync(Post("/api/subscriptions", json, "application/json", lengthDeclared));

        response.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("16384", await response.Content.ReadAsStringAsync());
        Assert.Null(await App.StatusOfAsync(email));
    }

    [Fact]
    public async Task AJsonSubscriptionJustUnderTheLimitIsAccepted()
    {
        var json = $"{{\"email\": \"just-under@example.org\"{new string(' ', 16 * 1024 - 100)}}}";
        using var client = App.CreatePublicClient();

        var response = await client.SendAsync(Post("/api/subscriptions", json, "application/json", lengthDeclared: false));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AThreeMegabyteSubscribeFormIsRefusedWith413AndStoresNothing(bool lengthDeclared)
    {
        var email = $"big-form-{lengthDeclared}@example.org";
        var form = $"email={Uri.EscapeDataString(email)}&padding={new string('x', 3 * 1024 * 1024)}";
        using var client = App.CreatePublicClient();

        var response = await client.SendAsync(Post("/subscribe", form, "application/x-www-form-urlencoded", lengthDeclared));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType!.ToString());
        Assert.Null(await App.StatusOfAsync(email));
    }

    [Fact]
    public async Task APaperUploadOverTwentyMegabytesIsRefusedWith413EvenWithoutADeclaredLength()
    {
        // JSON whitespace, so the parser reads on until the limit stops it. Sent chunked while the
        // answer is read: the server answers and closes before the body ends (an HttpClient would
        // report the closed connection, not the answer, when it loses that race).
        var oversized = new MemoryStream(Encoding.ASCII.GetBytes("[" + new string(' ', 21 * 1024 * 1024)));

        var response = await RawChunkedHttp.SendAsync(App.ListeningAddress, "/api/admin/papers",
            ["Content-Type: application/json", $"Authorization: Bearer {NewsletterApp.AdminKey}"], oversized);

        Assert.Equal(413, response.Status);
        Assert.StartsWith("application/problem+json", response.Header("Content-Type"));
    }

    [Fact]
    public async Task ADigestTriggerOverSixteenKilobytesIsRefusedWith413()
    {
        using var admin = App.CreateAdminClient();
        var json = $"{{\"date\": \"2026-05-20\"{new string(' ', 20 * 1024)}}}";

        var response = await admin.SendAsync(Post("/api/admin/digests", json, "application/json", lengthDeclared: true));

        response.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
    }

    private static HttpRequestMessage Post(string path, string body, string contentType, bool lengthDeclared)
    {
        HttpContent content = lengthDeclared
            ? new ByteArrayContent(Encoding.UTF8.GetBytes(body))
            : new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = !lengthDeclared;
        return request;
    }
}
