using System.Net;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Preferences;

/// <summary>
/// The preferences link is the reader's only credential: it cannot be forged, turned into another
/// reader's or made from another kind of link, and it stops working when the reader leaves or
/// subscribes anew. A refused link changes nothing.
/// </summary>
public sealed class PreferencesLinkTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.App.CreatePublicClient();

    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task AnAlteredSignatureIsRefusedOnThePageAndTheApiAndChangesNothing()
    {
        var reader = await App.JoinAsync("altered@example.org");
        var before = await _client.SnapshotAsync(reader);
        var forged = Uri.EscapeDataString(Tokens.Tampered(reader.PreferencesToken));

        var page = await _client.GetAsync($"/preferences?token={forged}");
        var post = await _client.PostFormAsync($"/preferences?token={forged}", ("frequency", "weekly"));
        var patch = await _client.PatchAsync($"/api/preferences?token={forged}", Readers.Json("""{"frequency":"weekly"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType!.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        patch.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(before, await _client.SnapshotAsync(reader));
    }

    [Fact]
    public async Task ATokenRewrittenToAnotherReaderIsRefused()
    {
        var mallory = await App.JoinAsync("mallory@example.org");
        var victim = await App.JoinAsync("victim@example.org");
        var before = await _client.SnapshotAsync(victim);
        var rewritten = Tokens.WithPayload(mallory.PreferencesToken, $"p:{victim.Id}:{victim.ConsentVersion}");

        var read = await _client.GetAsync($"/api/preferences?token={Uri.EscapeDataString(rewritten)}");
        var patch = await _client.PatchAsync($"/api/preferences?token={Uri.EscapeDataString(rewritten)}", Readers.Json("""{"maxPapers":1}"""));

        read.AssertProblem(HttpStatusCode.BadRequest);
        patch.AssertProblem(HttpStatusCode.BadRequest);
        Assert.DoesNotContain("victim@example.org", await read.Content.ReadAsStringAsync());
        Assert.Equal(before, await _client.SnapshotAsync(victim));
    }

    [Fact]
    public async Task AnUnsubscribeTokenDoesNotOpenThePreferences()
    {
        var reader = await App.JoinAsync("wrong-purpose@example.org");
        var unsubscribe = Uri.EscapeDataString(App.UnsubscribeToken(reader));

        var page = await _client.GetAsync($"/preferences?token={unsubscribe}");
        var api = await _client.GetAsync($"/api/preferences?token={unsubscribe}");

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        api.AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AMissingTokenIsRefused()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/preferences")).StatusCode);
        (await _client.GetAsync("/api/preferences")).AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AReaderWhoLeftIsToldSoAndTheirSettingsStay()
    {
        var reader = await App.JoinAsync("leaver@example.org");
        await _client.PatchAsync(reader, """{"topics":["speech"]}""");
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync($"/unsubscribe?token={App.UnsubscribeToken(reader)}", null)).StatusCode);

        var page = await _client.GetAsync(reader.Page);
        var post = await _client.PostFormAsync(reader.Page, ("topics", "changed"));
        var patch = await _client.PatchAsync(reader, """{"topics":["changed"]}""");

        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Contains("no longer subscribed", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Gone, post.StatusCode);
        patch.AssertProblem(HttpStatusCode.Gone);
        (await _client.GetAsync(reader.Api)).AssertProblem(HttpStatusCode.Gone);
    }
}
