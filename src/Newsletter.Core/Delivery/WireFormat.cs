using MimeKit;

namespace Newsletter.Core.Delivery;

/// <summary>
/// How a message is written where the bytes matter: CRLF line ends, as on the wire (RFC 5322),
/// whatever the platform. What the DKIM signature is computed over, and what the pickup folder writes.
/// </summary>
internal static class WireFormat
{
    public static readonly FormatOptions Options = Create();

    private static FormatOptions Create()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
