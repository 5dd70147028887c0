using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;

namespace Newsletter.Core.Delivery;

/// <summary>
/// How a failed attempt should be treated: final for this recipient, worth another try, or a sign
/// that the relay itself cannot be used (then the whole send stops).
/// </summary>
public sealed record SendFailure(bool Permanent, bool ConnectionBroken, string Reason, bool RelayUnusable = false, bool AtRecipient = false)
{
    public static SendFailure From(Exception e) => e switch
    {
        // 5xx on RCPT or DATA: the relay will never take this message for this recipient.
        SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted } c
            when (int)c.StatusCode >= 500 => new(true, false, Describe(c)),
        // A 5xx to MAIL FROM says nothing about the recipient: the relay will take nothing from us.
        SmtpCommandException { ErrorCode: SmtpErrorCode.SenderNotAccepted } c when (int)c.StatusCode >= 500 =>
            new(false, false, Describe(c), RelayUnusable: true),
        // 4xx on RCPT: this recipient's server says "later" (greylisting, a full mailbox), not the relay.
        SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } c => new(false, false, Describe(c), AtRecipient: true),
        SmtpCommandException c => new(false, false, Describe(c)),
        RelayConnectException c => new(false, true, c.Message, RelayUnusable: true),
        MailKit.Security.AuthenticationException => new(false, true, "authentication failed: " + e.Message, RelayUnusable: true),
        SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException
            or TimeoutException or OperationCanceledException => new(false, true, e.Message),
        _ => new(false, true, e.GetType().Name + ": " + e.Message),
    };

    private static string Describe(SmtpCommandException c) => $"{(int)c.StatusCode} {c.Message}".Trim();
}

/// <summary>No connection to the relay could be opened (refused, greeting 421, TLS failed).</summary>
public sealed class RelayConnectException(string message, Exception inner) : Exception(message, inner);

/// <summary>The relay itself cannot be used (down, refusing us): the send must stop.</summary>
public sealed class RelayUnavailableException(string reason, Exception inner) : Exception(reason, inner);
