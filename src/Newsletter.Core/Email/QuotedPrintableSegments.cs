using System.Text;
using MimeKit.Encodings;

namespace Newsletter.Core.Email;

/// <summary>
/// A body that is the same for every recipient but for one value (the unsubscribe link), kept
/// quoted-printable encoded in pieces. Each piece ends with a line break (a soft one, '=' at the
/// end of a line, where the text has none), so pieces encoded apart join into valid
/// quoted-printable that decodes to exactly the text with the value in place. Per recipient only
/// the value is encoded; the rest is copied. Lines end in CRLF already, so serialising the
/// message needs no new-line conversion.
/// </summary>
public sealed class QuotedPrintableSegments
{
    private static readonly byte[] SoftBreak = "=\r\n"u8.ToArray();
    private readonly byte[][] _pieces;

    public QuotedPrintableSegments(string text, string marker) => _pieces = text.Split(marker).Select(Encode).ToArray();

    /// <summary>Writes the pieces with the already encoded value between them, copying nothing.</summary>
    public void WriteTo(Stream stream, byte[] encodedValue)
    {
        for (var i = 0; i < _pieces.Length; i++)
        {
            if (i > 0) stream.Write(encodedValue);
            stream.Write(_pieces[i]);
        }
    }

    public async ValueTask WriteToAsync(Stream stream, byte[] encodedValue, CancellationToken ct)
    {
        for (var i = 0; i < _pieces.Length; i++)
        {
            if (i > 0) await stream.WriteAsync(encodedValue, ct);
            await stream.WriteAsync(_pieces[i], ct);
        }
    }

    /// <summary>Quoted-printable with CRLF line ends (what goes on the wire), ending with a line break.</summary>
    public static byte[] Encode(string text)
    {
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
}
