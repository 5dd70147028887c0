using System.Net;
using System.Text;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Preferences;

/// <summary>Over real Kestrel: a body over 16 KB to a preferences link is refused with 413 and changes nothing.</summary>
public sealed class PreferencesBodyLimitTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private NewsletterApp App => fixture.App;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnOversizedPatchIsRefusedWith413AndChangesNothing(bool lengthDeclared)
    {
        var reader = await App.JoinAsync($"big-patch-{lengthDeclared}@example.org");
        using var client = App.CreatePublicClient();
        var before = await client.SnapshotAsync(reader);
        var json = $"{{\"frequency\": \"weekly\"{new string(' ', 20 * 1024)}}}";

        var response = await client.SendAsync(Request(HttpMethod.Patch, reader.Api, json, "application/json", lengthDeclared));

        response.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await client.SnapshotAsync(reader));
    }

    [Fact]
    public async Task AnOversizedFormIsRefusedWith413AndChangesNothing()
    {
        var reader = await App.JoinAsync("big-form@example.org");
        using var client = App.CreatePublicClient();
        var before = await client.SnapshotAsync(reader);
        var form = "frequency=weekly&topics=" + string.Join("%0A", Enumerable.Repeat("a long topic name", 2000));

        var response = await client.SendAsync(Request(HttpMethod.Post, reader.Page, form, "application/x-www-form-urlencoded", lengthDeclared: true));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(before, await client.SnapshotAsync(reader));
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string body, string contentType, bool lengthDeclared)
    {
        HttpContent content = lengthDeclared
            ? new ByteArrayContent(Encoding.UTF8.GetBytes(body))
            : new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new(contentType);
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.TransferEncodingChunked = !lengthDeclared;
        return request;
    }
}
