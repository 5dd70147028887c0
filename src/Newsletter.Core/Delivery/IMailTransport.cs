using MimeKit;

namespace Newsletter.Core.Delivery;

/// <summary>Where mail goes: an SMTP relay or a pickup folder. The sending pipeline knows only this.</summary>
public interface IMailTransport
{
    /// <summary>Opens one connection, to be reused for many messages by one sender at a time.</summary>
    Task<IMailConnection> ConnectAsync(CancellationToken ct);
}

public interface IMailConnection : IAsyncDisposable
{
    /// <summary>False once the connection broke; the caller opens a new one.</summary>
    bool IsUsable { get; }

    Task SendAsync(OutgoingMail mail, CancellationToken ct);
}

/// <summary>
/// One message and its envelope sender (SMTP MAIL FROM), where bounces go: <c>bounces+TOKEN@domain</c>
/// with <see cref="Options.BounceOptions.Domain"/> set; null: From's address.
/// </summary>
public sealed record OutgoingMail(MimeMessage Message, MailboxAddress? ReturnPath);
