using System.Text;
using MimeKit.Encodings;

namespace Newsletter.Core.Email;

/// <summary>
/// A body that is the same for every recipient but for its personal slots (the unsubscribe link),
/// kept quoted-printable encoded in pieces. Each piece ends with a line break (a soft one, '=' at
/// the end of a line, where the text has none), so pieces encoded apart join into valid
/// quoted-printable that decodes to exactly the text with the values in place. Per recipient only
/// the values are encoded; the rest is copied. Lines end in CRLF already, so serialising the
/// message needs no new-line conversion.
/// </summary>
public sealed class QuotedPrintableSegments
{
    private static readonly byte[] SoftBreak = "=\r\n"u8.ToArray();
    private readonly byte[][] _pieces;
    private readonly SlotKind[] _slots;

    public QuotedPrintableSegments(SlottedText text)
    {
        _pieces = text.Pieces.Select(Encode).ToArray();
        _slots = text.Slots.ToArray();
    }

    /// <summary>The kinds of value this body needs.</summary>
    public IEnumerable<SlotKind> Kinds => _slots.Distinct();

    /// <summary>Writes the pieces with the already encoded values (indexed by kind) between them, copying nothing.</summary>
    public void WriteTo(Stream stream, EncodedValue[] values, bool html)
    {
        stream.Write(_pieces[0]);
        for (var i = 0; i < _slots.Length; i++)
        {
            stream.Write(values[(int)_slots[i]].For(html));
            stream.Write(_pieces[i + 1]);
        }
    }

    public async ValueTask WriteToAsync(Stream stream, EncodedValue[] values, bool html, CancellationToken ct)
    {
        await stream.WriteAsync(_pieces[0], ct);
        for (var i = 0; i < _slots.Length; i++)
        {
            await stream.WriteAsync(values[(int)_slots[i]].For(html), ct);
            await stream.WriteAsync(_pieces[i + 1], ct);
        }
    }

    /// <summary>Quoted-printable with CRLF line ends (what goes on the wire), ending with a line break.</summary>
    public static byte[] Encode(string text)
    {
        if (TryEncodeAscii(text) is { } ascii) return ascii;
        var input = Encoding.UTF8.GetBytes(text);
        var encoder = new QuotedPrintableEncoder();
        var output = new byte[encoder.EstimateOutputLength(input.Length)];
        var length = encoder.Flush(input, 0, input.Length, output);
        var result = new List<byte>(length + length / 70 + SoftBreak.Length);
        for (var i = 0; i < length; i++)
        {
            if (output[i] == (byte)'\n' && (i == 0 || output[i - 1] != (byte)'\r')) result.Add((byte)'\r');
            result.Add(output[i]);
        }
        if (result.Count == 0 || result[^1] != (byte)'\n') result.AddRange(SoftBreak);
        return result.ToArray();
    }

    // Longest run of characters on one encoded line before a soft break ('=' makes it 76).
    private const int LineLimit = 75;

    /// <summary>
    /// The links in a mail are printable ASCII: encoded here without an encoder object, escaping only
    /// '=' and breaking lines softly. Anything else (spaces at line ends, tabs, non-ASCII) takes MimeKit's encoder.
    /// </summary>
    private static byte[]? TryEncodeAscii(string text)
    {
        if (text.Length > 1024) return null;
        Span<byte> ascii = stackalloc byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is < '!' or > '~') return null;
            ascii[i] = (byte)text[i];
        }
        return EncodeAscii(ascii);
    }

    /// <summary>Printable ASCII (no spaces; the caller makes sure) as quoted-printable lines ending in a soft break.</summary>
    public static byte[] EncodeAscii(ReadOnlySpan<byte> ascii)
    {
        var length = ascii.Length + 2 * ascii.Count((byte)'=');
        var output = new byte[length + (length / LineLimit + 1) * SoftBreak.Length];
        int at = 0, line = 0;
        foreach (var c in ascii)
        {
            var width = c == '=' ? 3 : 1;
            if (line + width > LineLimit)
            {
                SoftBreak.CopyTo(output, at);
                at += SoftBreak.Length;
                line = 0;
            }
            if (c == '=')
            {
                output[at++] = (byte)'=';
                output[at++] = (byte)'3';
                output[at++] = (byte)'D';
            }
            else
            {
                output[at++] = c;
            }
            line += width;
        }
        SoftBreak.CopyTo(output, at);
        at += SoftBreak.Length;
        return at == output.Length ? output : output[..at];
    }
}
