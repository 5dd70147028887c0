using System.Security.Cryptography;
using MimeKit;

namespace Newsletter.Core.Bounces;

/// <summary>What names a received message so that it is handled once: returned mail and replies alike.</summary>
public static class MessageKeys
{
    /// <summary>The message's Message-ID, or a hash of the whole message when it has none (or an absurd one).</summary>
    public static string Of(MimeMessage message)
    {
        if (message.MessageId is { Length: > 0 and <= 250 } id) return id;
        using var bytes = new MemoryStream();
        message.WriteTo(bytes);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)));
    }
}
