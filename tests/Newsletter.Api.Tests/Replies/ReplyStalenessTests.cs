using System.Net;
using System.Net.Http.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Replies;

/// <summary>
/// A reply address lives on in every digest ever sent: only one of the reader's current subscription
/// steers. Replies of one reader arriving together all count, and the answer tells the truth.
/// </summary>
public sealed class ReplyStalenessTests(ReplyFixture fixture) : IClassFixture<ReplyFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task AnOldDigestsReplyAddressNeitherSteersNorCancelsANewSignUpAfterTheReaderLeft()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("came-back@example.org", new DateOnly(2026, 6, 1));
        Assert.Equal("applied", (await App.ReplyAsync(ReplyMails.Plain(digest, reader.Email, "stop"))).GetProperty("action").GetString());
        using var client = App.CreatePublicClient();
        // They (or someone with their address) sign up again: a new subscription, pending.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/subscriptions", new { email = reader.Email })).StatusCode);
        Assert.Equal("pending", await App.StatusOfAsync(reader.Email));

        foreach (var written in new[] { "weekly\nmore: resurrected", "stop" })
        {
            var answer = await App.ReplyAsync(ReplyMails.Plain(digest, reader.Email, written));
            Assert.Equal("ignored", answer.GetProperty("action").GetString());
        }

        Assert.Equal("pending", await App.StatusOfAsync(reader.Email));
        Assert.Single(App.AnswersTo(reader.Email));
    }

    [Fact]
    public async Task TenRepliesOfOneReaderAtOnceAllCountAndTheOneAnswerListsWhatWasSaved()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("many-at-once@example.org", new DateOnly(2026, 6, 2));

        var answers = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(i => App.ReplyAsync(ReplyMails.Plain(digest, reader.Email, $"more: topic{i}"))));

        Assert.All(answers, a => Assert.Equal("applied", a.GetProperty("action").GetString()));
        using var client = App.CreatePublicClient();
        var topics = (await client.PreferencesAsync(reader)).GetProperty("topics").Strings();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"topic{i}").Order(), topics.Order());
        Assert.Single(App.AnswersTo(reader.Email));
    }

    [Fact]
    public async Task TheAnswerCarriesNoLinkFromTheReplyEvenInATopicItAdded()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("topic-link@example.org", new DateOnly(2026, 6, 3));

        await App.ReplyAsync(ReplyMails.Plain(digest, reader.Email, "more: http://evil.example/login\nless: www.evil.example"));

        var text = Assert.Single(App.AnswersTo(reader.Email)).Message.TextBody!;
        Assert.DoesNotContain("evil.example", text);
        Assert.Contains("added topic: [link]", text);
    }
}
