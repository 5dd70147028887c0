using MimeKit;

namespace Newsletter.Core.Bounces;

/// <summary>
/// Parses returned mail, which anyone can send to the bounce address. MimeKit's parser takes time
/// quadratic in the length of one folded header (measured: 10,000 folded lines 1.2 s, 20,000 lines
/// 4.3 s, 120,000 lines 155 s), so a message with a header folded over more than
/// <see cref="MaxFoldedHeaderBytes"/> is refused before it is parsed. No returned mail has one:
/// a real header is folded over a few hundred bytes.
/// </summary>
public static class ReturnedMailParser
{
    public const int MaxFoldedHeaderBytes = 64 * 1024;

    /// <summary>Returned mail is small (a report and our message or its headers): the most the endpoint and the mailbox take.</summary>
    public const long MaxBytes = 10L * 1024 * 1024;

    /// <summary>The message, or null with the reason it is not returned mail.</summary>
    public static MimeMessage? Parse(byte[] raw, int length, out string? problem)
    {
        if (HasOverlongFold(raw.AsSpan(0, length)))
        {
            problem = $"A header is folded over more than {MaxFoldedHeaderBytes / 1024} KB: this is not returned mail.";
            return null;
        }
        try
        {
            var message = MimeMessage.Load(new MemoryStream(raw, 0, length, writable: false));
            // The parser is lenient: text without a single header line is not a mail.
            problem = message.Headers.Count == 0 ? "The body is not a mail message (RFC 5322 headers, a blank line, a body)." : null;
            return problem is null ? message : null;
        }
        catch (FormatException)
        {
            problem = "The body is not a mail message (RFC 5322 headers, a blank line, a body).";
            return null;
        }
    }

    /// <summary>
    /// True when some run of continuation lines (lines starting with a space or a tab) is longer than
    /// <see cref="MaxFoldedHeaderBytes"/>, anywhere in the message: attached originals have headers too.
    /// </summary>
    public static bool HasOverlongFold(ReadOnlySpan<byte> raw)
    {
        var run = 0;
        while (!raw.IsEmpty)
        {
            var end = raw.IndexOf((byte)'\n');
            var line = end < 0 ? raw : raw[..(end + 1)];
            run = line[0] is (byte)' ' or (byte)'\t' ? run + line.Length : 0;
            if (run > MaxFoldedHeaderBytes) return true;
            raw = raw[line.Length..];
        }
        return false;
    }
}
