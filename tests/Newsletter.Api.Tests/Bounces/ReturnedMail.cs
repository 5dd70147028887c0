using MimeKit;

namespace Newsletter.Api.Tests.Bounces;

/// <summary>Returned mail as a receiving mail server sends it back.</summary>
public static class ReturnedMail
{
    /// <summary>A message with a Message-ID of its own and a body a test can look for in the logs.</summary>
    public static MimeMessage Plain(string messageId, string body = "The original message follows: Dear reader, private text.")
    {
        var message = Envelope(messageId, "Undelivered Mail Returned to Sender");
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    /// <summary>An RFC 3464 delivery status report: delivery to <paramref name="recipient"/> failed for good (5.1.1, no such user).</summary>
    public static MimeMessage HardBounce(string messageId, string recipient)
    {
        var message = Envelope(messageId, "Delivery Status Notification (Failure)");
        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = $"Your message to {recipient} could not be delivered: the mailbox does not exist." },
        };
        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList { { "Reporting-MTA", "dns; mx.example.org" } };
        var perRecipient = new HeaderList
        {
            { "Final-Recipient", "rfc822; " + recipient },
            { "Action", "failed" },
            { "Status", "5.1.1" },
            { "Diagnostic-Code", "smtp; 550 5.1.1 <" + recipient + ">: Recipient address rejected: User unknown" },
        };
        status.StatusGroups.Add(perMessage);
        status.StatusGroups.Add(perRecipient);
        report.Add(status);
        report.Add(new TextPart("rfc822-headers")
        {
            Text = $"From: Daily Papers <papers@localhost>\r\nTo: {recipient}\r\nSubject: Daily Papers\r\nMessage-ID: <digest-1@localhost>\r\n",
        });
        message.Body = report;
        return message;
    }

    private static MimeMessage Envelope(string messageId, string subject)
    {
        var message = new MimeMessage { MessageId = messageId, Subject = subject, Date = DateTimeOffset.UtcNow };
        message.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mx.example.org"));
        message.To.Add(MailboxAddress.Parse("papers@localhost"));
        return message;
    }
}
