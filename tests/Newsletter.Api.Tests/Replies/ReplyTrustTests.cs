using System.Net;
using System.Text;
using Dapper;
using MimeKit;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Replies;

/// <summary>
/// Only the reader's own reply to their own reply address steers, a robot's answer changes nothing,
/// and nothing a reply carries reaches the headers of the answer.
/// </summary>
public sealed class ReplyTrustTests(ReplyFixture fixture) : IClassFixture<ReplyFixture>
{
    private NewsletterApp App => fixture.App;

    private async Task<string> Snapshot(Reader reader)
    {
        using var client = App.CreatePublicClient();
        return await client.SnapshotAsync(reader);
    }

    [Fact]
    public async Task AnAlteredOrForgedTokenIsIgnoredAndChangesNothing()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("forged@example.org", new DateOnly(2026, 4, 1));
        var before = await Snapshot(reader);
        var address = ReplyMails.ReplyAddress(digest);
        var at = address.IndexOf('@');
        var altered = address[..(at - 1)] + (address[at - 1] == 'a' ? 'b' : 'a') + address[at..];

        foreach (var to in new[] { altered, "reply+aaaaaaaaaaaaaaaaaaaaaaaaaaaa@replies.newsletter.test", "reply+@replies.newsletter.test" })
        {
            var answer = await App.ReplyAsync(ReplyMails.Plain(digest, reader.Email, "weekly\nstop", to));
            Assert.Equal("ignored", answer.GetProperty("action").GetString());
            Assert.Contains("token", answer.GetProperty("reason").GetString());
        }

        Assert.Equal(before, await Snapshot(reader));
        Assert.Equal("active", await App.StatusOfAsync(reader.Email));
        Assert.Empty(App.AnswersTo(reader.Email));
    }

    [Fact]
    public async Task AReplyFromAnotherAddressIsIgnoredAndNobodyIsAnswered()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("forwarded@example.org", new DateOnly(2026, 4, 2));
        var before = await Snapshot(reader);

        var answer = await App.ReplyAsync(ReplyMails.Plain(digest, "Colleague <colleague@example.net>", "stop\nweekly"));

        Assert.Equal("ignored", answer.GetProperty("action").GetString());
        Assert.Equal("From is not the subscriber's address", answer.GetProperty("reason").GetString());
        Assert.Equal(before, await Snapshot(reader));
        Assert.Equal("active", await App.StatusOfAsync(reader.Email));
        Assert.Empty(App.AnswersTo(reader.Email));
        Assert.Empty(App.Smtp.MailTo("colleague@example.net"));
    }

    [Fact]
    public async Task AnOutOfOfficeAnswerChangesNothingAndIsNotAnswered()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("on-holiday@example.org", new DateOnly(2026, 4, 3));
        var before = await Snapshot(reader);
        var flagged = ReplyMails.Plain(digest, reader.Email, "I am away until Monday.\nweekly");
        flagged.Subject = "Automatic reply: " + digest.Subject;
        flagged.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        var subjectOnly = ReplyMails.Plain(digest, reader.Email, "Ich bin bis Montag nicht im Büro.");
        subjectOnly.Subject = "Abwesenheitsnotiz: " + digest.Subject;
        var vacation = ReplyMails.Plain(digest, reader.Email, "stop");
        vacation.Headers.Add("X-Autoreply", "yes");

        foreach (var reply in new[] { flagged, subjectOnly, vacation })
        {
            var answer = await App.ReplyAsync(reply);
            Assert.Equal("ignored", answer.GetProperty("action").GetString());
            Assert.Equal("an automatic reply", answer.GetProperty("reason").GetString());
        }

        Assert.Equal(before, await Snapshot(reader));
        Assert.Equal("active", await App.StatusOfAsync(reader.Email));
        Assert.Empty(App.AnswersTo(reader.Email));
    }

    [Fact]
    public async Task StopUnsubscribesWithTheConsentEventReplyAndALaterReplyToTheOldDigestChangesNothing()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("leaving@example.org", new DateOnly(2026, 4, 6));

        var answer = await App.ReplyAsync(ReplyMails.Plain(digest, reader.Email, "Stop."));

        Assert.Equal("applied", answer.GetProperty("action").GetString());
        Assert.Equal("unsubscribed", await App.StatusOfAsync(reader.Email));
        await using (var connection = await App.Database.OpenAsync())
        {
            var events = (await connection.QueryAsync<(string Event, string Source)>(
                "SELECT event, source FROM consent_events WHERE subscriber_id = @id ORDER BY at, event", new { id = reader.Id })).ToList();
            Assert.Equal(("unsubscribed", "reply"), events[^1]);
        }
        Assert.Contains("unsubscribed", Assert.Single(App.AnswersTo(reader.Email)).Message.TextBody);

        var later = await App.ReplyAsync(ReplyMails.Plain(digest, reader.Email, "weekly\nstop"));

        Assert.Equal("ignored", later.GetProperty("action").GetString());
        Assert.Equal("the subscriber is no longer subscribed", later.GetProperty("reason").GetString());
        Assert.Equal("unsubscribed", await App.StatusOfAsync(reader.Email));
        Assert.Single(App.AnswersTo(reader.Email));
        await using var again = await App.Database.OpenAsync();
        Assert.Equal(1, await again.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM consent_events WHERE subscriber_id = @id AND event = 'unsubscribed'", new { id = reader.Id }));
    }

    [Fact]
    public async Task TwoRepliesWithinTenMinutesAreBothAppliedAndAnsweredOnce()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("eager@example.org", new DateOnly(2026, 4, 7));

        var first = await App.ReplyAsync(ReplyMails.Plain(digest, reader.Email, "more: diffusion"));
        var second = await App.ReplyAsync(ReplyMails.Plain(digest, reader.Email, "weekly"));

        Assert.True(first.GetProperty("answered").GetBoolean());
        Assert.Equal("applied", second.GetProperty("action").GetString());
        Assert.False(second.GetProperty("answered").GetBoolean());
        using var client = App.CreatePublicClient();
        var preferences = await client.PreferencesAsync(reader);
        Assert.Equal(["diffusion"], preferences.GetProperty("topics").Strings());
        Assert.Equal("weekly", preferences.GetProperty("frequency").GetString());
        Assert.Single(App.AnswersTo(reader.Email));
    }

    [Fact]
    public async Task TheSameReplyHandedInTwiceIsAppliedOnce()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("retried@example.org", new DateOnly(2026, 4, 8));
        var reply = ReplyMails.Plain(digest, reader.Email, "+1");

        Assert.Equal("applied", (await App.ReplyAsync(reply)).GetProperty("action").GetString());
        var again = await App.ReplyAsync(reply);

        Assert.Equal("ignored", again.GetProperty("action").GetString());
        Assert.Equal("this reply was handled before", again.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task LineBreaksInTheSubjectOrAPhraseNeverReachTheAnswersHeaders()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("injector@example.org", new DateOnly(2026, 4, 9));
        var address = ReplyMails.ReplyAddress(digest);
        // An encoded word decodes to CR LF: the classic way to smuggle a header through a subject.
        var subject = "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("Re: hi\r\nBcc: victim@example.net\r\nX-Evil: 1")) + "?=";
        var raw = $"From: {reader.Email}\r\nTo: {address}\r\nSubject: {subject}\r\nMessage-ID: <inject-1@example.org>\r\n" +
                  "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
                  "more: cats\rBcc: victim@example.net\r\nless: =?UTF-8?B?Qm9ndXMNCkJjYzogdmljdGltQGV4YW1wbGUubmV0?=\r\n";

        var (status, answer) = await App.PostReplyAsync(Encoding.UTF8.GetBytes(raw));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("applied", answer.GetProperty("action").GetString());
        var mail = Assert.Single(App.AnswersTo(reader.Email));
        Assert.Empty(App.Smtp.MailTo("victim@example.net"));
        Assert.Null(mail.Message.Headers["X-Evil"]);
        Assert.Empty(mail.Message.Bcc);
        Assert.Equal(reader.Email, Assert.Single(mail.Message.To.Mailboxes).Address);
        // What was smuggled stays text of the one Subject line.
        Assert.StartsWith("Re: hi", mail.Message.Subject);
        Assert.DoesNotContain('\r', mail.Message.Subject!);
        Assert.DoesNotContain('\n', mail.Message.Subject!);
        var head = Encoding.ASCII.GetString(mail.Raw).Split("\r\n\r\n")[0];
        Assert.DoesNotMatch(@"(?m)^(Bcc|X-Evil):", head);
    }
}
