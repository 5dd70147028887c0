using Microsoft.Extensions.Time.Testing;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Replies;

/// <summary>The answer to a reply: at most one per reader in ten minutes, and its failure undoes nothing.</summary>
public sealed class ReplyAnswerTests : OwnFolderAndSmtp
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AReplyTenMinutesAfterTheLastAnswerIsAnsweredAgain()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, ReplyMails.Settings, _clock);
        var (reader, digest) = await app.ReaderWithDigestAsync("patient@example.org", new DateOnly(2026, 6, 1), stoppedClock: true);

        Assert.True((await app.ReplyAsync(ReplyMails.Plain(digest, reader.Email, "+1"))).GetProperty("answered").GetBoolean());
        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.False((await app.ReplyAsync(ReplyMails.Plain(digest, reader.Email, "+2"))).GetProperty("answered").GetBoolean());
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await app.ReplyAsync(ReplyMails.Plain(digest, reader.Email, "+3"))).GetProperty("answered").GetBoolean());

        Assert.Equal(2, app.AnswersTo(reader.Email).Count);
        using var client = app.CreatePublicClient();
        Assert.Equal(3, (await client.PreferencesAsync(reader)).GetProperty("votes").GetArrayLength());
    }

    [Fact]
    public async Task AnAnswerThatCannotBeSentIsLoggedAndTheChangesStay()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, ReplyMails.Settings);
        var (reader, digest) = await app.ReaderWithDigestAsync("unreachable@example.org", new DateOnly(2026, 6, 2));
        Smtp.RejectedRecipients[reader.Email] = true;

        var answer = await app.ReplyAsync(ReplyMails.Plain(digest, reader.Email, "weekly"));

        Assert.Equal("applied", answer.GetProperty("action").GetString());
        Assert.False(answer.GetProperty("answered").GetBoolean());
        using var client = app.CreatePublicClient();
        Assert.Equal("weekly", (await client.PreferencesAsync(reader)).GetProperty("frequency").GetString());
        Assert.Contains(app.Logs.Lines, l => l.Contains($"Could not send the answer to subscriber {reader.Id}'s reply"));
    }
}
