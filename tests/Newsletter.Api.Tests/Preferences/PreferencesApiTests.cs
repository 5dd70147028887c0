using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Preferences;

/// <summary>The JSON side of a reader's preferences link: read everything, change any part, and nothing else.</summary>
public sealed class PreferencesApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.App.CreatePublicClient();

    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task TheConfirmationPageGivesTheReaderTheirPreferencesLinkWhichShowsTheDefaults()
    {
        var confirmLink = await App.SignUpAsync("defaults@example.org");
        var reader = await App.ConfirmAsync("defaults@example.org", confirmLink);
        var followedAgain = await App.ConfirmAsync("defaults@example.org", confirmLink);

        var preferences = await _client.PreferencesAsync(reader);

        Assert.Equal(reader.PreferencesToken, followedAgain.PreferencesToken);

        Assert.Equal("defaults@example.org", preferences.GetProperty("email").GetString());
        Assert.Equal("daily", preferences.GetProperty("frequency").GetString());
        Assert.Equal("monday", preferences.GetProperty("weekday").GetString());
        Assert.Equal(10, preferences.GetProperty("maxPapers").GetInt32());
        Assert.Empty(preferences.GetProperty("topics").Strings());
        Assert.Empty(preferences.GetProperty("mutedTopics").Strings());
        Assert.False(preferences.GetProperty("requireCode").GetBoolean());
        Assert.Equal(JsonValueKind.Null, preferences.GetProperty("sendHour").ValueKind);
        Assert.Equal(JsonValueKind.Null, preferences.GetProperty("timeZone").ValueKind);
        Assert.Equal(0, preferences.GetProperty("votes").GetArrayLength());
    }

    [Fact]
    public async Task APatchOfEveryFieldIsReturnedAndReadBack()
    {
        var reader = await App.JoinAsync("roundtrip@example.org");

        var response = await _client.PatchAsync(reader, """
            {"frequency":"weekly","weekday":"friday","maxPapers":5,"topics":["  diffusion   models ","Robotics","robotics"],
             "mutedTopics":["crypto"],"requireCode":true,"sendHour":7,"timeZone":"europe/berlin"}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answered = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(answered.GetRawText(), await _client.SnapshotAsync(reader));
        Assert.Equal("weekly", answered.GetProperty("frequency").GetString());
        Assert.Equal("friday", answered.GetProperty("weekday").GetString());
        Assert.Equal(5, answered.GetProperty("maxPapers").GetInt32());
        Assert.Equal(["diffusion models", "Robotics"], answered.GetProperty("topics").Strings());
        Assert.Equal(["crypto"], answered.GetProperty("mutedTopics").Strings());
        Assert.True(answered.GetProperty("requireCode").GetBoolean());
        Assert.Equal(7, answered.GetProperty("sendHour").GetInt32());
        Assert.Equal("Europe/Berlin", answered.GetProperty("timeZone").GetString());
        Assert.Equal("roundtrip@example.org", answered.GetProperty("email").GetString());
    }

    [Fact]
    public async Task APartialPatchChangesOnlyTheFieldsItGives()
    {
        var reader = await App.JoinAsync("partial@example.org");
        await _client.PatchAsync(reader, """{"topics":["agents"],"maxPapers":12,"sendHour":6,"timeZone":"Asia/Tokyo"}""");

        var response = await _client.PatchAsync(reader, """{"frequency":"weekly"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var now = await _client.PreferencesAsync(reader);
        Assert.Equal("weekly", now.GetProperty("frequency").GetString());
        Assert.Equal(["agents"], now.GetProperty("topics").Strings());
        Assert.Equal(12, now.GetProperty("maxPapers").GetInt32());
        Assert.Equal(6, now.GetProperty("sendHour").GetInt32());
        Assert.Equal("Asia/Tokyo", now.GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task NullPutsMaxPapersSendHourAndTimeZoneBackToTheDefault()
    {
        var reader = await App.JoinAsync("reset@example.org");
        await _client.PatchAsync(reader, """{"maxPapers":3,"sendHour":22,"timeZone":"America/New_York","topics":["vision"]}""");

        var response = await _client.PatchAsync(reader, """{"maxPapers":null,"sendHour":null,"timeZone":null,"topics":[]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var now = await _client.PreferencesAsync(reader);
        Assert.Equal(10, now.GetProperty("maxPapers").GetInt32());
        Assert.Equal(JsonValueKind.Null, now.GetProperty("sendHour").ValueKind);
        Assert.Equal(JsonValueKind.Null, now.GetProperty("timeZone").ValueKind);
        Assert.Empty(now.GetProperty("topics").Strings());
    }

    public static TheoryData<string, string> InvalidPatches => new()
    {
        { """{"frequency":"hourly"}""", "frequency" },
        { """{"frequency":null}""", "frequency" },
        { """{"weekday":"someday"}""", "weekday" },
        { """{"maxPapers":0}""", "maxPapers" },
        { """{"maxPapers":31}""", "maxPapers" },
        { """{"maxPapers":"ten"}""", "maxPapers" },
        { """{"maxPapers":2.5}""", "maxPapers" },
        { """{"topics":[""" + string.Join(",", Enumerable.Range(1, 21).Select(i => $"\"topic {i}\"")) + "]}", "topics" },
        { """{"topics":["x"]}""", "topics" },
        { "{\"topics\":[\"" + new string('a', 65) + "\"]}", "topics" },
        { """{"topics":"vision"}""", "topics" },
        { """{"mutedTopics":[null]}""", "mutedTopics" },
        { """{"requireCode":"yes"}""", "requireCode" },
        { """{"sendHour":24}""", "sendHour" },
        { """{"sendHour":-1}""", "sendHour" },
        { """{"timeZone":"Pacific Standard Time"}""", "timeZone" },
        { """{"timeZone":"Mars/Olympus_Mons"}""", "timeZone" },
        { """{"timeZone":"../../../etc/passwd"}""", "timeZone" },
        { """{"email":"someone.else@example.org"}""", "email" },
        { """{"votes":[{"paper":"2605.00001","vote":1}]}""", "votes" },
        { """{"colour":"blue"}""", "colour" },
        { """{"frequency":"weekly","maxPapers":99}""", "maxPapers" },
    };

    [Theory]
    [MemberData(nameof(InvalidPatches))]
    public async Task AnInvalidValueIsRefusedWith400NamingTheFieldAndNothingChanges(string json, string field)
    {
        var reader = await App.JoinAsync($"invalid-{Guid.NewGuid():N}@example.org");
        var before = await _client.SnapshotAsync(reader);

        var response = await _client.PatchAsync(reader, json);

        response.AssertProblem(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Contains(field, problem.GetProperty("detail").GetString());
        Assert.Equal(before, await _client.SnapshotAsync(reader));
    }

    [Theory]
    [InlineData("{\"frequency\": \"weekly\"")]
    [InlineData("{\"frequency\": weekly}")]
    [InlineData("not json at all")]
    public async Task BrokenJsonIsRefusedWith400AndNothingChanges(string json)
    {
        var reader = await App.JoinAsync($"broken-{Guid.NewGuid():N}@example.org");
        var before = await _client.SnapshotAsync(reader);

        var response = await _client.PatchAsync(reader, json);

        response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(before, await _client.SnapshotAsync(reader));
    }
}
