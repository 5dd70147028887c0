using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;
using MimeKit.Utils;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Bounces;

/// <summary>Returned mail as receiving servers write it, built from a message the service really sent.</summary>
public static class ReturnedMails
{
    public const string Domain = "bounces.newsletter.test";

    public static readonly Dictionary<string, string?> Settings = new() { ["Bounces:Domain"] = Domain };

    /// <summary>An RFC 3464 report (Postfix's shape) about <paramref name="recipient"/>, sent to <paramref name="to"/>.</summary>
    public static MimeMessage Dsn(ReceivedMail sent, string status, string action = "failed", string? to = null, string? recipient = null)
    {
        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = "I'm sorry to have to inform you that your message could not be delivered.\n" },
        };
        var fields = new MessageDeliveryStatus();
        fields.StatusGroups.Add(new HeaderList { { "Reporting-MTA", "dns; mx.example.net" }, { "Arrival-Date", DateUtils.FormatDate(DateTimeOffset.UtcNow) } });
        fields.StatusGroups.Add(new HeaderList
        {
            { "Final-Recipient", $"rfc822; {recipient ?? sent.To}" },
            { "Action", action },
            { "Status", status },
            { "Diagnostic-Code", $"smtp; {(status[0] == '5' ? "550" : "452")} {status} mailbox problem for <{recipient ?? sent.To}>" },
        });
        report.Add(fields);
        report.Add(new TextRfc822Headers { Message = new MimeMessage(sent.Message.Headers) });
        return Returned("MAILER-DAEMON@mx.example.net", to ?? sent.EnvelopeFrom!, "Undelivered Mail Returned to Sender", report);
    }

    /// <summary>An RFC 5965 complaint, the original attached with the Return-Path the provider's server gave it.</summary>
    public static MimeMessage Complaint(ReceivedMail sent)
    {
        var original = MimeMessage.Load(new MemoryStream(sent.Raw));
        original.Headers.Insert(0, new Header(HeaderId.ReturnPath, $"<{sent.EnvelopeFrom}>"));
        // Providers redact the reader's address in what they send back.
        original.Headers.Replace(HeaderId.To, "redacted@mail.example.com");
        var feedback = new MessageFeedbackReport();
        feedback.Fields.Add("Feedback-Type", "abuse");
        feedback.Fields.Add("User-Agent", "YahooMailFeedback/1.0");
        feedback.Fields.Add("Version", "1");
        var report = new MultipartReport("feedback-report")
        {
            new TextPart("plain") { Text = "This is an email abuse report for an email message received from IP 192.0.2.1.\n" },
            feedback,
            new MessagePart { Message = original },
        };
        return Returned("feedbackloop@feedback.mail.example.com", "abuse@" + Domain, "FW: " + sent.Message.Subject, report);
    }

    /// <summary>A vacation responder's answer, sent to the return path as RFC 3834 asks.</summary>
    public static MimeMessage OutOfOffice(ReceivedMail sent)
    {
        var reply = Returned(sent.To, sent.EnvelopeFrom!, "Out of office: " + sent.Message.Subject,
            new TextPart("plain") { Text = "I am away until Monday and will answer after. For urgent matters call 5.1.1 support.\n" });
        reply.Headers.Add("Auto-Submitted", "auto-replied");
        return reply;
    }

    /// <summary>A plain-text bounce (Exim's shape) sent to <paramref name="to"/>.</summary>
    public static MimeMessage PlainBounce(string to, string recipient) =>
        Returned("Mail Delivery System <Mailer-Daemon@mx.example.net>", to, "Mail delivery failed: returning message to sender",
            new TextPart("plain")
            {
                Text = "This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered " +
                       $"to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  {recipient}\n" +
                       $"    SMTP error from remote mail server after RCPT TO:<{recipient}>:\n    550 5.1.1 User unknown\n",
            });

    private static MimeMessage Returned(string from, string to, string subject, MimeEntity body)
    {
        var message = new MimeMessage { Subject = subject, Date = DateTimeOffset.UtcNow, Body = body };
        message.From.Add(InternetAddress.Parse(from));
        message.To.Add(InternetAddress.Parse(to));
        message.MessageId = MimeUtils.GenerateMessageId("mx.example.net");
        return message;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostReturnedAsync(this NewsletterApp app, MimeMessage message)
    {
        using var bytes = new MemoryStream();
        await message.WriteToAsync(bytes);
        return await app.PostReturnedAsync(bytes.ToArray(), "message/rfc822");
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostReturnedAsync(this NewsletterApp app, byte[] body, string? contentType)
    {
        using var admin = app.CreateAdminClient();
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        // As curl sends a large body: the server can refuse it before any of it is sent.
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/bounces") { Content = content };
        request.Headers.ExpectContinue = body.Length > 1024 * 1024;
        var response = await admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static async Task<string?> AnswerAsync(this NewsletterApp app, MimeMessage message)
    {
        var (status, body) = await app.PostReturnedAsync(message);
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("action").GetString();
    }
}
