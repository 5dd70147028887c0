using System.Net;
using System.Text.RegularExpressions;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Preferences;

/// <summary>The preferences page as a person uses it: a form with their current choices, saved with one button.</summary>
public sealed partial class PreferencesPageTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.App.CreatePublicClient();

    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task ThePageShowsTheCurrentChoicesInItsForm()
    {
        var reader = await App.JoinAsync("page-reader@example.org");
        await _client.PatchAsync(reader, """{"frequency":"weekly","weekday":"thursday","maxPapers":6,"topics":["speech","audio"],"requireCode":true,"sendHour":7,"timeZone":"Europe/Rome"}""");

        var page = await _client.GetAsync(reader.Page);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = System.Net.WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Matches("<option value=\"weekly\" selected", html);
        Assert.Matches("<option value=\"thursday\" selected", html);
        Assert.Contains("name=\"maxPapers\" type=\"number\" min=\"1\" max=\"30\" value=\"6\"", html);
        Assert.Matches("<textarea id=\"topics\" name=\"topics\"[^>]*>speech\naudio</textarea>", html);
        Assert.Matches("name=\"requireCode\" value=\"true\" checked", html);
        Assert.Matches("<option value=\"7\" selected", html);
        Assert.Contains("value=\"Europe/Rome\"", html);
        Assert.Contains("p•••@example.org", html);
        Assert.Contains($"action=\"/preferences?token={reader.PreferencesToken}\"", html);
    }

    [Fact]
    public async Task SavingTheFormStoresTheChoicesAndShowsWhatWasSaved()
    {
        var reader = await App.JoinAsync("form-saver@example.org");

        var saved = await _client.PostFormAsync(reader.Page,
            ("frequency", "weekly"), ("weekday", "sunday"), ("maxPapers", "15"), ("topics", "diffusion models\r\nrobotics, agents\r\n\r\n"),
            ("mutedTopics", "crypto"), ("requireCode", "false"), ("requireCode", "true"), ("sendHour", "18"), ("timeZone", "America/Chicago"));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var html = await saved.Content.ReadAsStringAsync();
        Assert.Contains("Saved.", html);
        Assert.Contains("weekly, on sunday", html);
        Assert.Contains("at most 15", html);
        Assert.Contains("diffusion models, robotics, agents", html);
        Assert.Contains("between 18:00 and 18:59 in America/Chicago", html);
        var stored = await _client.PreferencesAsync(reader);
        Assert.Equal("weekly", stored.GetProperty("frequency").GetString());
        Assert.Equal("sunday", stored.GetProperty("weekday").GetString());
        Assert.Equal(15, stored.GetProperty("maxPapers").GetInt32());
        Assert.Equal(["diffusion models", "robotics", "agents"], stored.GetProperty("topics").Strings());
        Assert.Equal(["crypto"], stored.GetProperty("mutedTopics").Strings());
        Assert.True(stored.GetProperty("requireCode").GetBoolean());
        Assert.Equal(18, stored.GetProperty("sendHour").GetInt32());
    }

    [Fact]
    public async Task AnUntickedBoxAndEmptyFieldsPutThoseChoicesBackToTheDefault()
    {
        var reader = await App.JoinAsync("form-reset@example.org");
        await _client.PatchAsync(reader, """{"maxPapers":3,"requireCode":true,"sendHour":5,"timeZone":"Asia/Kolkata","topics":["nlp"]}""");

        var saved = await _client.PostFormAsync(reader.Page,
            ("frequency", "daily"), ("maxPapers", ""), ("topics", ""), ("requireCode", "false"), ("sendHour", ""), ("timeZone", ""));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var stored = await _client.PreferencesAsync(reader);
        Assert.Equal(10, stored.GetProperty("maxPapers").GetInt32());
        Assert.False(stored.GetProperty("requireCode").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stored.GetProperty("sendHour").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stored.GetProperty("timeZone").ValueKind);
        Assert.Empty(stored.GetProperty("topics").Strings());
    }

    [Fact]
    public async Task AnInvalidFormSaysWhatIsWrongAndSavesNothing()
    {
        var reader = await App.JoinAsync("form-typo@example.org");
        var before = await _client.SnapshotAsync(reader);

        var refused = await _client.PostFormAsync(reader.Page, ("frequency", "weekly"), ("maxPapers", "45"), ("timeZone", "Atlantis/Capital"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Nothing was saved", html);
        Assert.Contains("maxPapers:", html);
        Assert.Contains("timeZone:", html);
        Assert.Equal(before, await _client.SnapshotAsync(reader));
    }

    [Fact]
    public async Task ARefusedFormKeepsWhatTheReaderTypedSoOneWrongFieldCostsThemNothingElse()
    {
        var reader = await App.JoinAsync("form-keeps@example.org");
        var before = await _client.SnapshotAsync(reader);

        var refused = await _client.PostFormAsync(reader.Page, ("frequency", "weekly"), ("weekday", "friday"), ("maxPapers", "7"),
            ("topics", "graph networks\nprotein folding"), ("requireCode", "false"), ("requireCode", "true"), ("sendHour", "6"), ("timeZone", "Mars/Base"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("<option value=\"weekly\" selected=\"selected\">", html);
        Assert.Contains("<option value=\"friday\" selected=\"selected\">", html);
        Assert.Contains("value=\"7\"", html);
        Assert.Contains(">graph networks\nprotein folding</textarea>", html);
        Assert.Contains("value=\"true\" checked=\"checked\"", html);
        Assert.Contains("<option value=\"6\" selected=\"selected\">", html);
        Assert.Contains("value=\"Mars/Base\"", html);
        Assert.Equal(before, await _client.SnapshotAsync(reader));
    }

    [Fact]
    public async Task HeaderLikeAndMarkupTopicsAreKeptAsTextAndEscapedOnThePage()
    {
        var reader = await App.JoinAsync("hostile-topics@example.org");

        var response = await _client.PatchAsync(reader,
            """{"topics":["x\r\nBcc: victim@example.org","<script>alert(1)</script>"],"mutedTopics":["Subject: \"free\" & <b>"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await _client.PreferencesAsync(reader);
        Assert.Equal(["x Bcc: victim@example.org", "<script>alert(1)</script>"], stored.GetProperty("topics").Strings());
        Assert.Equal(["Subject: \"free\" & <b>"], stored.GetProperty("mutedTopics").Strings());
        var html = await (await _client.GetAsync(reader.Page)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("x Bcc: victim@example.org", System.Net.WebUtility.HtmlDecode(html));
    }

    [Fact]
    public async Task VotesAreListedOnThePageAndOneCanBeRemoved()
    {
        await App.ImportAsync(
            PaperFixtures.Item("2611.00101", "Sparse Mixtures of Experts", 40, new DateOnly(2026, 11, 2)),
            PaperFixtures.Item("2611.00102", "Protein Folding at Scale", 30, new DateOnly(2026, 11, 2)));
        var reader = await App.JoinAsync("page-voter@example.org");
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/feedback?token={App.FeedbackToken(reader, "2611.00101", 1)}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/feedback?token={App.FeedbackToken(reader, "2611.00102", -1)}", null)).StatusCode);

        var html = await (await _client.GetAsync(reader.Page)).Content.ReadAsStringAsync();
        Assert.Contains("More like “Sparse Mixtures of Experts”", html);
        Assert.Contains("Less like “Protein Folding at Scale”", html);
        Assert.Equal(2, RemoveButton().Matches(html).Count);

        var removed = await _client.PostFormAsync(reader.Page, ("removeVote", "2611.00102"));

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.DoesNotContain("Protein Folding at Scale", await removed.Content.ReadAsStringAsync());
        var votes = (await _client.PreferencesAsync(reader)).GetProperty("votes");
        Assert.Equal(1, votes.GetArrayLength());
        Assert.Equal("2611.00101", votes[0].GetProperty("paper").GetString());
        Assert.Equal(1, votes[0].GetProperty("vote").GetInt32());
    }

    [GeneratedRegex("name=\"removeVote\" value=\"2611\\.001\\d\\d\"")]
    private static partial Regex RemoveButton();
}
