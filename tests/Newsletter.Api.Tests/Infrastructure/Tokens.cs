using System.Buffers.Text;
using System.Text;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>What an attacker can do with a token without the key: read and rewrite its visible part.</summary>
public static class Tokens
{
    public static string Of(string link) => Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);

    /// <summary>The subscriber a confirmation or unsubscribe link is for.</summary>
    public static long SubscriberId(string link) => long.Parse(Payload(Of(link)).Split(':')[1]);

    public static string Payload(string token) => Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token.AsSpan(0, token.IndexOf('.'))));

    /// <summary>The same signature on a rewritten payload.</summary>
    public static string WithPayload(string token, string payload) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(payload)) + token[token.IndexOf('.')..];

    /// <summary>One character of the signature changed.</summary>
    public static string Tampered(string token)
    {
        var chars = token.ToCharArray();
        chars[^3] = chars[^3] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}
