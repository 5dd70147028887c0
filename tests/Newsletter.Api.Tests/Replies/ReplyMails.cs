using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MimeKit.Utils;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Delivery;

namespace Newsletter.Api.Tests.Replies;

/// <summary>Replies to a digest the service really sent, built the way the common mail clients build them.</summary>
public static class ReplyMails
{
    public const string Domain = "replies.newsletter.test";

    public static Dictionary<string, string?> Settings => new() { ["Replies:Domain"] = Domain };

    /// <summary>The digest's Reply-To address, as a mail client takes it when the reader presses Reply.</summary>
    public static string ReplyAddress(MimeMessage digest) =>
        digest.ReplyTo.Mailboxes.Single().Address;

    /// <summary>
    /// Thunderbird's and Gmail's shape: what the reader wrote, their "-- " signature, then an
    /// attribution line ("On ... wrote:", wrapped over two lines as Gmail does) and the digest quoted with '>'.
    /// </summary>
    public static MimeMessage Plain(MimeMessage digest, string from, string written, string? to = null, string signature = "Ada Example\nStop by the lab any time")
    {
        var text = new StringBuilder();
        text.Append(written.Replace("\r\n", "\n")).Append("\n\n-- \n").Append(signature).Append("\n\n");
        text.Append("On Tue, 3 Nov 2026 at 08:00, Daily Papers <\npapers@localhost> wrote:\n");
        foreach (var line in (digest.TextBody ?? "").Replace("\r\n", "\n").Split('\n')) text.Append("> ").Append(line).Append('\n');
        var reply = Headed(digest, from, to);
        reply.Body = new TextPart("plain") { Text = text.ToString() };
        return reply;
    }

    /// <summary>Outlook's shape: HTML only, the reader's paragraphs, then the original under a From/Sent header block.</summary>
    public static MimeMessage OutlookHtml(MimeMessage digest, string from, params string[] paragraphs)
    {
        var html = new StringBuilder("<html><head><style>p.MsoNormal{margin:0}</style></head><body><div class=WordSection1>");
        foreach (var p in paragraphs) html.Append("<p class=MsoNormal>").Append(WebUtility.HtmlEncode(p)).Append("<o:p></o:p></p>\r\n");
        html.Append("<p class=MsoNormal>&nbsp;</p><div style='border:none;border-top:solid #E1E1E1 1.0pt'><p class=MsoNormal>");
        html.Append("<b>From:</b> Daily Papers &lt;papers@localhost&gt;<br><b>Sent:</b> Tuesday, November 3, 2026 8:00 AM<br>");
        html.Append($"<b>To:</b> {WebUtility.HtmlEncode(from)}<br><b>Subject:</b> {WebUtility.HtmlEncode(digest.Subject)}</p></div>");
        // The quoted digest as Outlook keeps it: its HTML, where words like "weekly" occur on lines of their own.
        html.Append("<p class=MsoNormal>weekly</p><p class=MsoNormal>stop</p>").Append(digest.HtmlBody).Append("</div></body></html>");
        var reply = Headed(digest, from, null);
        reply.Body = new TextPart("html") { Text = html.ToString() };
        return reply;
    }

    /// <summary>The headers every client writes on a reply: To the Reply-To, Re: subject, threading.</summary>
    public static MimeMessage Headed(MimeMessage digest, string from, string? to)
    {
        var reply = new MimeMessage
        {
            Subject = "Re: " + digest.Subject,
            Date = DateTimeOffset.UtcNow,
            MessageId = MimeUtils.GenerateMessageId("mail.example.org"),
            InReplyTo = digest.MessageId,
        };
        reply.From.Add(MailboxAddress.Parse(from));
        reply.To.Add(MailboxAddress.Parse(to ?? ReplyAddress(digest)));
        reply.References.Add(digest.MessageId!);
        return reply;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostReplyAsync(this NewsletterApp app, MimeMessage reply) =>
        await app.PostReplyAsync(Encoding.UTF8.GetBytes(reply.ToString()));

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostReplyAsync(this NewsletterApp app, byte[] raw)
    {
        using var admin = app.CreateAdminClient();
        var content = new ByteArrayContent(raw);
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        // As curl sends a large body: the server can refuse it before any of it is sent.
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/replies") { Content = content };
        request.Headers.ExpectContinue = raw.Length > 1024 * 1024;
        var response = await admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Hands the reply in, expects 200, and returns the answer's body.</summary>
    public static async Task<JsonElement> ReplyAsync(this NewsletterApp app, MimeMessage reply)
    {
        var (status, body) = await app.PostReplyAsync(reply);
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    /// <summary>The service's answers to replies that reached <paramref name="email"/>.</summary>
    public static IReadOnlyList<ReceivedMail> AnswersTo(this NewsletterApp app, string email) =>
        app.Smtp.MailTo(email).Where(m => (m.Message.Subject ?? "").StartsWith("Re:", StringComparison.Ordinal)).ToList();

    /// <summary>A reader with a digest of their own: joins, and gets the digest of <paramref name="date"/> (a list of five papers).</summary>
    /// <param name="stoppedClock">The service runs on a fake clock: the scheduler would not start the send, so it is started as its job would.</param>
    public static async Task<(Reader Reader, MimeMessage Digest)> ReaderWithDigestAsync(this NewsletterApp app, string email, DateOnly date, bool stoppedClock = false)
    {
        var reader = await app.JoinAsync(email);
        await app.ImportAsync(PaperFixtures.Day(date, 5));
        var (status, body, _) = await app.TriggerAsync(date);
        Assert.Equal(HttpStatusCode.Accepted, status);
        if (stoppedClock)
            await app.Services.GetRequiredService<DigestSender>().SendAsync(body.GetProperty("id").GetInt64(), CancellationToken.None);
        var mail = await app.Smtp.WaitForMailToAsync(email, date.ToString("yyyy-MM-dd"));
        await app.WaitForDigestAsync(body.GetProperty("id").GetInt64(), "sent");
        return (reader, mail.Message);
    }
}
