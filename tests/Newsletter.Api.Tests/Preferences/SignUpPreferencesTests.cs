using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Preferences;

/// <summary>
/// Settings given with the sign-up, and what happens to settings and links when a reader leaves and
/// comes back. The clock is fake so a second confirmation mail need not wait its quarter of an hour.
/// </summary>
public sealed class SignUpPreferencesTests : OwnFolderAndSmtp
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task SettingsGivenAtSignUpAreTheReadersOnceConfirmed()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, clock: _clock);
        using var client = app.CreatePublicClient();

        var reader = await app.JoinAsync("eager@example.org", new
        {
            frequency = "weekly", weekday = "wednesday", maxPapers = 4, topics = new[] { "reinforcement learning" },
            mutedTopics = new[] { "blockchain" }, requireCode = true, sendHour = 9, timeZone = "Europe/Paris",
        });

        var preferences = await client.PreferencesAsync(reader);
        Assert.Equal("weekly", preferences.GetProperty("frequency").GetString());
        Assert.Equal("wednesday", preferences.GetProperty("weekday").GetString());
        Assert.Equal(4, preferences.GetProperty("maxPapers").GetInt32());
        Assert.Equal(["reinforcement learning"], preferences.GetProperty("topics").Strings());
        Assert.Equal(["blockchain"], preferences.GetProperty("mutedTopics").Strings());
        Assert.True(preferences.GetProperty("requireCode").GetBoolean());
        Assert.Equal(9, preferences.GetProperty("sendHour").GetInt32());
        Assert.Equal("Europe/Paris", preferences.GetProperty("timeZone").GetString());
    }

    [Theory]
    [InlineData("frequency", "\"fortnightly\"")]
    [InlineData("maxPapers", "50")]
    [InlineData("timeZone", "\"Central European Standard Time\"")]
    [InlineData("topics", "[\"a\"]")]
    [InlineData("sendHour", "25")]
    public async Task ASignUpWithAnInvalidSettingIsRefusedNamingItAndStoresNothing(string field, string value)
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, clock: _clock);
        using var client = app.CreatePublicClient();
        var email = $"careless-{field.ToLowerInvariant()}@example.org";

        var response = await client.PostAsync("/api/subscriptions", Readers.Json($"{{\"email\":\"{email}\",\"{field}\":{value}}}"));

        response.AssertProblem(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(field, problem.GetProperty("detail").GetString());
        Assert.Null(await app.StatusOfAsync(email));
    }

    [Fact]
    public async Task ComingBackWithSomeSettingsReplacesThoseAndKeepsTheRest()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, clock: _clock);
        using var client = app.CreatePublicClient();
        var first = await app.JoinAsync("returning@example.org", new { frequency = "weekly", topics = new[] { "graphs" }, maxPapers = 8 });
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/unsubscribe?token={app.UnsubscribeToken(first)}", null)).StatusCode);

        _clock.Advance(TimeSpan.FromMinutes(16));
        var second = await app.JoinAsync("returning@example.org", new { maxPapers = 3, requireCode = true });

        var preferences = await client.PreferencesAsync(second);
        Assert.Equal(3, preferences.GetProperty("maxPapers").GetInt32());
        Assert.True(preferences.GetProperty("requireCode").GetBoolean());
        Assert.Equal("weekly", preferences.GetProperty("frequency").GetString());
        Assert.Equal(["graphs"], preferences.GetProperty("topics").Strings());
    }

    [Fact]
    public async Task ALinkFromBeforeLeavingAndSubscribingAgainNoLongerWorks()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, clock: _clock);
        using var client = app.CreatePublicClient();
        var first = await app.JoinAsync("comeback@example.org");
        await client.PostAsync($"/unsubscribe?token={app.UnsubscribeToken(first)}", null);
        _clock.Advance(TimeSpan.FromMinutes(16));
        var second = await app.JoinAsync("comeback@example.org");
        var current = await client.SnapshotAsync(second);

        var page = await client.GetAsync(first.Page);
        var patch = await client.PatchAsync(first, """{"maxPapers":2}""");

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("no longer valid", await page.Content.ReadAsStringAsync());
        patch.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(current, await client.SnapshotAsync(second));
        Assert.NotEqual(first.PreferencesToken, second.PreferencesToken);
    }
}
