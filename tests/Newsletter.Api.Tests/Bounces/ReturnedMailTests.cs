using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Newsletter.Api.Tests.AdminConsole;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Bounces;

public sealed class ReturnPathFixture : AppFixture
{
    protected override IDictionary<string, string?> Settings => ReturnedMails.Settings;
}

/// <summary>
/// With Bounces:Domain set, every message goes out with its own signed return path, and returned
/// mail built from what was really sent comes back through POST /api/admin/bounces.
/// </summary>
public sealed partial class ReturnedMailTests(ReturnPathFixture fixture) : IClassFixture<ReturnPathFixture>
{
    private NewsletterApp App => fixture.App;

    private async Task<ReceivedMail> ConfirmedReaderAsync(string email)
    {
        await App.SubscribeAndConfirmAsync(email);
        return App.Smtp.MailTo(email).Single(m => m.Message.Subject!.Contains("Confirm"));
    }

    private async Task<long> DigestAsync(DateOnly date)
    {
        await App.ImportAsync(PaperFixtures.Day(date, 12));
        var (status, body, _) = await App.TriggerAsync(date);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = body.GetProperty("id").GetInt64();
        await App.WaitForDigestAsync(id, "sent");
        return id;
    }

    private ReceivedMail DigestTo(string email, DateOnly date) =>
        App.Smtp.MailTo(email).Single(m => m.Message.Subject!.Contains(date.ToString("yyyy-MM-dd")));

    [Fact]
    public async Task EveryMessageGoesOutWithItsOwnSignedReturnPathAndTheSameFrom()
    {
        var date = new DateOnly(2026, 7, 1);
        var confirmations = new[] { await ConfirmedReaderAsync("path-a@example.org"), await ConfirmedReaderAsync("path-b@example.org") };
        await DigestAsync(date);
        var sent = confirmations.Concat([DigestTo("path-a@example.org", date), DigestTo("path-b@example.org", date)]).ToList();

        foreach (var mail in sent)
        {
            Assert.Matches(@"^bounces\+[a-z2-7]{20,40}@bounces\.newsletter\.test$", mail.EnvelopeFrom);
            Assert.True(mail.EnvelopeFrom!.IndexOf('@') <= 64, mail.EnvelopeFrom);
            Assert.Equal("papers@localhost", Assert.Single(mail.Message.From.Mailboxes).Address);
            Assert.Null(mail.Message.Headers[MimeKit.HeaderId.ReturnPath]);
        }
        // One per subscriber and message kind: a confirmation's differs from the same reader's digest's.
        Assert.Equal(4, sent.Select(m => m.EnvelopeFrom).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public async Task BouncesAndComplaintsStopTheMailAndTheConsoleSaysWhy()
    {
        var first = new DateOnly(2026, 7, 2);
        string[] readers = ["hard@example.org", "named@example.org", "plain@example.org", "complains@example.org", "soft@example.org", "keeps@example.org"];
        foreach (var reader in readers) await ConfirmedReaderAsync(reader);
        var digestId = await DigestAsync(first);
        var hard = ReturnedMails.Dsn(DigestTo("hard@example.org", first), "5.1.1");

        Assert.Equal(("hard", "hard@example.org"), await AnswerAsync(hard));
        // Without the signed return path a report naming a reader is what anyone could forge: with
        // return paths on, it changes nothing.
        var (_, untokened) = await App.PostReturnedAsync(ReturnedMails.Dsn(DigestTo("named@example.org", first), "5.1.1", to: "postmaster@" + ReturnedMails.Domain));
        Assert.Equal("ignored", untokened.GetProperty("action").GetString());
        Assert.Equal("active", await App.StatusOfAsync("named@example.org"));
        Assert.Equal(("hard", "named@example.org"), await AnswerAsync(ReturnedMails.Dsn(DigestTo("named@example.org", first), "5.1.1")));
        var plain = DigestTo("plain@example.org", first);
        Assert.Equal(("hard", "plain@example.org"), await AnswerAsync(ReturnedMails.PlainBounce(plain.EnvelopeFrom!, "plain@example.org")));
        Assert.Equal(("complaint", "complains@example.org"), await AnswerAsync(ReturnedMails.Complaint(DigestTo("complains@example.org", first))));
        Assert.Equal(("soft", "soft@example.org"), await AnswerAsync(ReturnedMails.Dsn(DigestTo("soft@example.org", first), "4.4.7", "delayed")));
        // The same returned mail again: the same answer, counted once.
        Assert.Equal(("hard", "hard@example.org"), await AnswerAsync(hard));

        Assert.Equal("bounced", await App.StatusOfAsync("hard@example.org"));
        Assert.Equal("bounced", await App.StatusOfAsync("named@example.org"));
        Assert.Equal("bounced", await App.StatusOfAsync("plain@example.org"));
        Assert.Equal("unsubscribed", await App.StatusOfAsync("complains@example.org"));
        Assert.Equal("active", await App.StatusOfAsync("soft@example.org"));
        using (var admin = App.CreateAdminClient())
        {
            var bounced = await admin.GetFromJsonAsync<JsonElement>("/api/admin/subscribers?status=bounced");
            Assert.Contains(bounced.EnumerateArray(), s => s.GetProperty("email").GetString() == "hard@example.org");
        }

        // An import does not bring a suppressed address back.
        await App.ImportSubscribersAsync(["hard@example.org", "complains@example.org"]);
        Assert.Equal("bounced", await App.StatusOfAsync("hard@example.org"));
        Assert.Equal("unsubscribed", await App.StatusOfAsync("complains@example.org"));

        var second = new DateOnly(2026, 7, 3);
        await DigestAsync(second);
        Assert.Single(App.Smtp.MailTo("keeps@example.org"), m => m.Message.Subject!.Contains("2026-07-03"));
        Assert.Single(App.Smtp.MailTo("soft@example.org"), m => m.Message.Subject!.Contains("2026-07-03"));
        foreach (var gone in readers[..4])
            Assert.DoesNotContain(App.Smtp.MailTo(gone), m => m.Message.Subject!.Contains("2026-07-03"));

        using var console = await ConsoleClient.SignedInAsync(App);
        var hardPage = await SubscriberPageAsync(console, "hard@example.org");
        Assert.Contains("Bounces and complaints", hardPage);
        Assert.Single(BounceRows().Matches(hardPage));
        Assert.Matches($@"<td>hard</td><td>5\.1\.1</td>\s*<td>\s*<a href=""/admin/digests/{digestId}"">#{digestId}</a>", hardPage);
        Assert.Contains("550 5.1.1 mailbox problem", hardPage);
        var complaintPage = await SubscriberPageAsync(console, "complains@example.org");
        Assert.Contains("<td>complaint</td><td>feedback-loop</td>", complaintPage);
        Assert.Contains("<td>complaint</td><td></td>", complaintPage);
    }

    [Fact]
    public async Task ReturnedMailThatNamesNoSubscriberChangesNothing()
    {
        var confirmation = await ConfirmedReaderAsync("untouched@example.org");
        var token = confirmation.EnvelopeFrom![8..confirmation.EnvelopeFrom!.IndexOf('@')];
        var forged = $"bounces+{token[..5]}{(token[5] == 'a' ? 'b' : 'a')}{token[6..]}@{ReturnedMails.Domain}";
        var spam = new MimeKit.MimeMessage { Subject = "Cheap watches", Body = new MimeKit.TextPart("plain") { Text = "Buy now." } };
        spam.From.Add(MimeKit.MailboxAddress.Parse("seller@spam.example"));
        spam.To.Add(MimeKit.MailboxAddress.Parse(confirmation.EnvelopeFrom));

        var answers = new[]
        {
            await App.PostReturnedAsync(ReturnedMails.OutOfOffice(confirmation)),
            await App.PostReturnedAsync(ReturnedMails.Dsn(confirmation, "5.1.1", to: "postmaster@" + ReturnedMails.Domain, recipient: "stranger@elsewhere.example")),
            await App.PostReturnedAsync(ReturnedMails.Dsn(confirmation, "5.1.1", to: forged, recipient: "stranger@elsewhere.example")),
            await App.PostReturnedAsync(ReturnedMails.PlainBounce(forged, "untouched@example.org")),
            await App.PostReturnedAsync(spam),
        };

        foreach (var (status, body) in answers)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("ignored", body.GetProperty("action").GetString());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("email").ValueKind);
        }
        Assert.Equal("active", await App.StatusOfAsync("untouched@example.org"));
    }

    [Fact]
    public async Task AReportReusingAnotherReportsMessageIdStillActsOnItsOwnReader()
    {
        var first = await ConfirmedReaderAsync("shared-id-one@example.org");
        var second = await ConfirmedReaderAsync("shared-id-two@example.org");
        var soft = ReturnedMails.Dsn(first, "4.2.2", "delayed");
        var hard = ReturnedMails.Dsn(second, "5.1.1");
        soft.MessageId = hard.MessageId = "shared@mx.example.net";

        Assert.Equal(("soft", "shared-id-one@example.org"), await AnswerAsync(soft));
        Assert.Equal(("hard", "shared-id-two@example.org"), await AnswerAsync(hard));

        Assert.Equal("active", await App.StatusOfAsync("shared-id-one@example.org"));
        Assert.Equal("bounced", await App.StatusOfAsync("shared-id-two@example.org"));
    }

    [Fact]
    public async Task BadBodiesAreRefusedAndChangeNothing()
    {
        var confirmation = await ConfirmedReaderAsync("bad-bodies@example.org");
        using var bytes = new MemoryStream();
        await ReturnedMails.Dsn(confirmation, "5.1.1").WriteToAsync(bytes);
        var dsn = bytes.ToArray();

        var wrongType = await App.PostReturnedAsync(dsn, "text/plain");
        var noType = await App.PostReturnedAsync(dsn, null);
        var empty = await App.PostReturnedAsync([], "message/rfc822");
        var notMail = await App.PostReturnedAsync("just some words, no headers\n\nat all"u8.ToArray(), "message/rfc822");
        // A genuine report behind one header folded 20,000 times: MimeKit took 4.3 s to parse that.
        var folded = System.Text.Encoding.ASCII.GetBytes("X-Junk: " + string.Concat(Enumerable.Repeat(new string('A', 70) + "\r\n ", 20_000)) + "A\r\n");
        var overlong = await App.PostReturnedAsync([.. folded, .. dsn], "message/rfc822");
        using var anonymous = App.CreatePublicClient();
        var withoutKey = await anonymous.PostAsync("/api/admin/bounces", new ByteArrayContent(dsn) { Headers = { { "Content-Type", "message/rfc822" } } });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, noType.Status);
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Equal(HttpStatusCode.BadRequest, notMail.Status);
        Assert.Equal("Not a mail message", notMail.Body.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, overlong.Status);
        Assert.Contains("folded over more than 64 KB", overlong.Body.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal("active", await App.StatusOfAsync("bad-bodies@example.org"));
    }

    private async Task<(string?, string?)> AnswerAsync(MimeKit.MimeMessage message)
    {
        var (status, body) = await App.PostReturnedAsync(message);
        Assert.Equal(HttpStatusCode.OK, status);
        return (body.GetProperty("action").GetString(), body.GetProperty("email").GetString());
    }

    private static async Task<string> SubscriberPageAsync(HttpClient console, string email)
    {
        var search = await console.GetStringAsync($"/admin/subscribers?q={Uri.EscapeDataString(email)}");
        var link = SubscriberLink().Match(search);
        Assert.True(link.Success, search);
        return await console.GetStringAsync(link.Groups[1].Value);
    }

    [GeneratedRegex("""<a href="(/admin/subscribers/\d+)">""")]
    private static partial Regex SubscriberLink();

    [GeneratedRegex("""<td>(hard|soft|complaint)</td><td>""")]
    private static partial Regex BounceRows();
}
