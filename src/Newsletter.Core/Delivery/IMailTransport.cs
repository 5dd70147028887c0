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

    Task SendAsync(MimeMessage message, CancellationToken ct);
}
