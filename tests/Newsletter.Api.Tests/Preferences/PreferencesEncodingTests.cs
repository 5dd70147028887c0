using System.Net;
using System.Text;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Preferences;

/// <summary>Text that is not valid Unicode in a change is a 400 naming the field, never a 500, and changes nothing.</summary>
public sealed class PreferencesEncodingTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private NewsletterApp App => fixture.App;

    [Theory]
    [InlineData("""{"topics":["ab\ud800cd"]}""", "topics")]
    [InlineData("""{"timeZone":"Europe/\udc00Berlin"}""", "timeZone")]
    [InlineData("""{"frequency":"\ud800"}""", "frequency")]
    public async Task ALoneSurrogateIsRefusedNamingTheField(string json, string field)
    {
        var reader = await App.JoinAsync($"surrogate-{field}@example.org");
        using var client = App.CreatePublicClient();
        var before = await client.SnapshotAsync(reader);

        var response = await client.PatchAsync(reader, json);

        response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await client.SnapshotAsync(reader));
    }

    [Fact]
    public async Task BytesThatAreNotUtf8AreRefusedAndChangeNothing()
    {
        var reader = await App.JoinAsync("not-utf8@example.org");
        using var client = App.CreatePublicClient();
        var before = await client.SnapshotAsync(reader);
        var body = new ByteArrayContent([.. Encoding.ASCII.GetBytes("{\"topics\":[\"a"), 0xFF, 0xFE, .. Encoding.ASCII.GetBytes("b\"]}")]);
        body.Headers.ContentType = new("application/json");

        var response = await client.PatchAsync(reader.Api, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await client.SnapshotAsync(reader));
    }
}
