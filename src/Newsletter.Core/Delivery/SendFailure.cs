using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;

namespace Newsletter.Core.Delivery;

/// <summary>How a failed send should be treated: retried later, or final for this recipient.</summary>
public sealed record SendFailure(bool Permanent, bool ConnectionBroken, string Reason, bool RelayRefusesUs = false)
{
    public static SendFailure From(Exception e) => e switch
    {
        // 5xx on RCPT or DATA: the relay will never take this message for this recipient.
        SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted } c
            when (int)c.StatusCode >= 500 => new(true, false, $"{(int)c.StatusCode} {c.Message}".Trim()),
        // A 5xx to MAIL FROM says nothing about the recipient: the relay will take nothing from us.
        SmtpCommandException { ErrorCode: SmtpErrorCode.SenderNotAccepted } c when (int)c.StatusCode >= 500 =>
            new(false, false, $"{(int)c.StatusCode} {c.Message}".Trim(), RelayRefusesUs: true),
        SmtpCommandException c => new(false, false, $"{(int)c.StatusCode} {c.Message}".Trim()),
        SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException
            or TimeoutException or OperationCanceledException => new(false, true, e.Message),
        MailKit.Security.AuthenticationException => new(false, true, "authentication failed: " + e.Message, RelayRefusesUs: true),
        _ => new(false, true, e.GetType().Name + ": " + e.Message),
    };
}
