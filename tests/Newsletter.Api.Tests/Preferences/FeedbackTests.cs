using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Tests.Preferences;

/// <summary>
/// "More like this" / "Less like this" links: opening one records nothing (mail scanners open every
/// link), its button records the vote, and a link that is not genuine stores nothing.
/// </summary>
public sealed class FeedbackTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private const string Transformers = "2611.00201";
    private const string Proteins = "2611.00202";
    private const string Robots = "2611.00203";

    private readonly HttpClient _client = fixture.App.CreatePublicClient();

    private NewsletterApp App => fixture.App;

    public async Task InitializeAsync() => await App.ImportAsync(
        PaperFixtures.Item(Transformers, "Attention & <Transformers>", 50, new DateOnly(2026, 11, 3)),
        PaperFixtures.Item(Proteins, "Protein Language Models", 40, new DateOnly(2026, 11, 3)),
        PaperFixtures.Item(Robots, "Robots That Learn From Play", 30, new DateOnly(2026, 11, 3)));

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonElement> VotesOf(Reader reader) => (await _client.PreferencesAsync(reader)).GetProperty("votes");

    [Fact]
    public async Task OpeningALinkShowsThePaperAndOneButtonAndRecordsNothing()
    {
        var reader = await App.JoinAsync("scanned@example.org");
        var token = App.FeedbackToken(reader, Transformers, 1);

        var page = await _client.GetAsync($"/feedback?token={token}");
        await _client.GetAsync($"/feedback?token={token}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Attention &amp; &lt;Transformers&gt;", html);
        Assert.Contains($"<form method=\"post\" action=\"/feedback?token={token}\">", WebUtility.HtmlDecode(html));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<button"));
        Assert.Contains("More like this", html);
        Assert.Equal(0, (await VotesOf(reader)).GetArrayLength());
    }

    [Fact]
    public async Task PressingTheButtonRecordsTheVoteAndSaysWhatItChanges()
    {
        var reader = await App.JoinAsync("voter@example.org");

        var answer = await _client.PostAsync($"/feedback?token={App.FeedbackToken(reader, Proteins, 1)}", null);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var html = WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());
        Assert.Contains("Papers like “Protein Language Models” will rank higher in your digests once you have voted on 3 papers", html);
        Assert.Contains("you have voted on 1 so far", html);
        Assert.Equal(reader.PreferencesToken, Tokens.Of(Readers.PreferencesLinkOn(html)));
        var votes = await VotesOf(reader);
        Assert.Equal(Proteins, votes[0].GetProperty("paper").GetString());
        Assert.Equal(1, votes[0].GetProperty("vote").GetInt32());
    }

    [Fact]
    public async Task TheSameLinkTwiceKeepsOneVoteAndTheOppositeLinkReplacesIt()
    {
        var reader = await App.JoinAsync("changes-mind@example.org");
        var more = App.FeedbackToken(reader, Robots, 1);

        await _client.PostAsync($"/feedback?token={more}", null);
        await _client.PostAsync($"/feedback?token={more}", null);
        Assert.Equal(1, (await VotesOf(reader)).GetArrayLength());

        var less = await _client.PostAsync($"/feedback?token={App.FeedbackToken(reader, Robots, -1)}", null);

        Assert.Equal(HttpStatusCode.OK, less.StatusCode);
        Assert.Contains("rank lower", WebUtility.HtmlDecode(await less.Content.ReadAsStringAsync()));
        var votes = await VotesOf(reader);
        Assert.Equal(1, votes.GetArrayLength());
        Assert.Equal(-1, votes[0].GetProperty("vote").GetInt32());
    }

    [Fact]
    public async Task TheApiRecordsAVoteWith204AndFromThreeVotesOnThePageSaysTheDigestIsRankedByThem()
    {
        var reader = await App.JoinAsync("api-voter@example.org");

        var first = await _client.PostAsync($"/api/feedback?token={App.FeedbackToken(reader, Transformers, 1)}", null);
        await _client.PostAsync($"/api/feedback?token={App.FeedbackToken(reader, Proteins, -1)}", null);
        var third = await _client.PostAsync($"/feedback?token={App.FeedbackToken(reader, Robots, 1)}", null);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(3, (await VotesOf(reader)).GetArrayLength());
        Assert.Contains("ranked by your 3 votes", WebUtility.HtmlDecode(await third.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task ForgedOrAlteredLinksAreRefusedAndStoreNothing()
    {
        var reader = await App.JoinAsync("forger@example.org");
        var genuine = App.FeedbackToken(reader, Transformers, 1);
        string[] forged =
        [
            Tokens.Tampered(genuine),
            Tokens.WithPayload(genuine, $"f:{reader.Id}:{reader.ConsentVersion}:{Proteins}:+"),
            Tokens.WithPayload(genuine, $"f:{reader.Id}:{reader.ConsentVersion}:{Transformers}:-"),
            App.UnsubscribeToken(reader),
            reader.PreferencesToken,
            "",
        ];

        foreach (var token in forged)
        {
            var escaped = Uri.EscapeDataString(token);
            Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/feedback?token={escaped}")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await _client.PostAsync($"/feedback?token={escaped}", null)).StatusCode);
            (await _client.PostAsync($"/api/feedback?token={escaped}", null)).AssertProblem(HttpStatusCode.BadRequest);
        }
        Assert.Equal(0, (await VotesOf(reader)).GetArrayLength());
    }

    [Fact]
    public async Task ALinkOnAnUnknownPaperIs404AndStoresNothing()
    {
        var reader = await App.JoinAsync("unknown-paper@example.org");
        var token = App.FeedbackToken(reader, "2611.99999", 1);

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/feedback?token={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync($"/feedback?token={token}", null)).StatusCode);
        (await _client.PostAsync($"/api/feedback?token={token}", null)).AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal(0, (await VotesOf(reader)).GetArrayLength());
    }

    [Fact]
    public async Task AReaderWhoLeftCannotVote()
    {
        var reader = await App.JoinAsync("left-voter@example.org");
        var token = App.FeedbackToken(reader, Transformers, 1);
        await _client.PostAsync($"/unsubscribe?token={App.UnsubscribeToken(reader)}", null);

        var page = await _client.PostAsync($"/feedback?token={token}", null);

        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Contains("no longer subscribed", await page.Content.ReadAsStringAsync());
        (await _client.PostAsync($"/api/feedback?token={token}", null)).AssertProblem(HttpStatusCode.Gone);
        Assert.Empty(await App.Services.GetRequiredService<SubscriberStore>().VotesAsync(reader.Id));
    }
}
