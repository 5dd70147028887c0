using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Replies;

/// <summary>
/// A reader steers their digest by answering it, as mail clients write answers: the commands above
/// the quoted digest and the signature change their preferences and votes, and one answer says what changed.
/// </summary>
public sealed class ReplyCommandTests(ReplyFixture fixture) : IClassFixture<ReplyFixture>
{
    private NewsletterApp App => fixture.App;

    private async Task<JsonElement> PreferencesOf(Reader reader)
    {
        using var client = App.CreatePublicClient();
        return await client.PreferencesAsync(reader);
    }

    [Fact]
    public async Task EveryDigestCarriesAReplyAddressOfItsReaderAndTheConfirmationMailNone()
    {
        var (first, firstDigest) = await App.ReaderWithDigestAsync("reply-to-1@example.org", new DateOnly(2026, 3, 2));
        var second = await App.JoinAsync("reply-to-2@example.org");
        await App.ImportAsync(PaperFixtures.Day(new DateOnly(2026, 3, 3), 5));
        await App.TriggerAsync(new DateOnly(2026, 3, 3));
        var secondDigest = (await App.Smtp.WaitForMailToAsync(second.Email, "2026-03-03")).Message;

        var firstAddress = ReplyMails.ReplyAddress(firstDigest);
        var secondAddress = ReplyMails.ReplyAddress(secondDigest);
        Assert.Matches(@"^reply\+[a-z2-7]{20,40}@replies\.newsletter\.test$", firstAddress);
        Assert.Matches(@"^reply\+[a-z2-7]{20,40}@replies\.newsletter\.test$", secondAddress);
        Assert.NotEqual(firstAddress, secondAddress);
        var confirmation = App.Smtp.MailTo(first.Email).Single(m => (m.Message.Subject ?? "").Contains("Confirm")).Message;
        Assert.Empty(confirmation.ReplyTo);
        Assert.DoesNotContain("reply+", confirmation.ToString());
    }

    [Fact]
    public async Task AThunderbirdReplyChangesWhatTheReaderWroteAndNothingQuotedOrInTheSignature()
    {
        var date = new DateOnly(2026, 3, 9);
        var (reader, digest) = await App.ReaderWithDigestAsync("tb-reader@example.org", date);
        var second = ReaderMail.PaperIds(digest)[1];
        // Display name in encoded words, the address in another case: still the reader's own.
        var reply = ReplyMails.Plain(digest, "\"Ada Müller\" <TB-Reader@Example.org>",
            "Thanks, this is great!\n  More: diffusion models.\nless: robots\npapers: 5\n+2\nWEEKLY\n");

        var answer = await App.ReplyAsync(reply);

        Assert.Equal("applied", answer.GetProperty("action").GetString());
        Assert.Equal(["added topic: diffusion models", "muted topic: robots", "papers per digest: 5",
            $"voted up #2: Paper 2 of 2026-03-09", "now weekly"], answer.GetProperty("changes").Strings());
        Assert.Equal(["Thanks, this is great!"], answer.GetProperty("notUnderstood").Strings());
        var preferences = await PreferencesOf(reader);
        Assert.Equal("weekly", preferences.GetProperty("frequency").GetString());
        Assert.Equal(["diffusion models"], preferences.GetProperty("topics").Strings());
        Assert.Equal(["robots"], preferences.GetProperty("mutedTopics").Strings());
        Assert.Equal(5, preferences.GetProperty("maxPapers").GetInt32());
        var vote = Assert.Single(preferences.GetProperty("votes").EnumerateArray());
        Assert.Equal((second, 1), (vote.GetProperty("paper").GetString(), vote.GetProperty("vote").GetInt32()));
        // The quoted digest and the signature ("Stop by the lab") changed nothing.
        Assert.Equal("active", await App.StatusOfAsync(reader.Email));

        var mail = Assert.Single(App.AnswersTo(reader.Email)).Message;
        Assert.Equal("tb-reader@example.org", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal("auto-replied", mail.Headers["Auto-Submitted"]);
        Assert.Equal(reply.MessageId, mail.InReplyTo);
        Assert.Contains(reply.MessageId, mail.References);
        Assert.Equal("Re: " + digest.Subject, mail.Subject);
        Assert.Contains("- added topic: diffusion models", mail.TextBody);
        Assert.Contains("- now weekly", mail.TextBody);
        Assert.Contains("Not understood:\n- Thanks, this is great!", mail.TextBody!.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task AnOutlookHtmlOnlyReplyIsReadAboveTheOriginalsHeaderBlock()
    {
        var date = new DateOnly(2026, 3, 10);
        var (reader, digest) = await App.ReaderWithDigestAsync("outlook-reader@example.org", date);
        var first = ReaderMail.PaperIds(digest)[0];

        var answer = await App.ReplyAsync(ReplyMails.OutlookHtml(digest, reader.Email, "more: graph neural networks", "-1"));

        Assert.Equal("applied", answer.GetProperty("action").GetString());
        var preferences = await PreferencesOf(reader);
        Assert.Equal(["graph neural networks"], preferences.GetProperty("topics").Strings());
        var vote = Assert.Single(preferences.GetProperty("votes").EnumerateArray());
        Assert.Equal((first, -1), (vote.GetProperty("paper").GetString(), vote.GetProperty("vote").GetInt32()));
        // "weekly" and "stop" below the From/Sent block are the quoted original's.
        Assert.Equal("daily", preferences.GetProperty("frequency").GetString());
        Assert.Equal("active", await App.StatusOfAsync(reader.Email));
        Assert.Single(App.AnswersTo(reader.Email));
    }

    [Fact]
    public async Task QuotedLinesThatLookLikeCommandsCountForNothing()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("quoter@example.org", new DateOnly(2026, 3, 11));
        var before = await PreferencesOf(reader);
        var reply = ReplyMails.Headed(digest, reader.Email, null);
        reply.Body = new MimeKit.TextPart("plain") { Text = "> weekly\n> papers: 3\n>stop\n\nOn Tue, 3 Nov 2026, Daily Papers wrote:\n> more: cats\n" };

        var answer = await App.ReplyAsync(reply);

        Assert.Equal("ignored", answer.GetProperty("action").GetString());
        Assert.Equal(before.GetRawText(), (await PreferencesOf(reader)).GetRawText());
        Assert.Equal("active", await App.StatusOfAsync(reader.Email));
        Assert.Empty(App.AnswersTo(reader.Email));
    }

    [Fact]
    public async Task PapersNinetyNineIsNotUnderstoodAndChangesNothing()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("ninety-nine@example.org", new DateOnly(2026, 3, 12));
        var before = await PreferencesOf(reader);

        var answer = await App.ReplyAsync(ReplyMails.Plain(digest, reader.Email, "papers: 99"));

        Assert.Equal("ignored", answer.GetProperty("action").GetString());
        Assert.Empty(answer.GetProperty("changes").EnumerateArray());
        Assert.StartsWith("papers: 99 (", Assert.Single(answer.GetProperty("notUnderstood").Strings()));
        Assert.Equal(before.GetRawText(), (await PreferencesOf(reader)).GetRawText());
        var mail = Assert.Single(App.AnswersTo(reader.Email)).Message;
        Assert.Contains("Nothing was changed.", mail.TextBody);
        Assert.Contains("- papers: 99 (maxPapers: must be a whole number from 1 to 30", mail.TextBody);
    }
}
