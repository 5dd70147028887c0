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
    public void WriteTo(Stream stream, byte[][] encodedValues)
    {
        stream.Write(_pieces[0]);
        for (var i = 0; i < _slots.Length; i++)
        {
            stream.Write(encodedValues[(int)_slots[i]]);
            stream.Write(_pieces[i + 1]);
        }
    }

    public async ValueTask WriteToAsync(Stream stream, byte[][] encodedValues, CancellationToken ct)
    {
        await stream.WriteAsync(_pieces[0], ct);
        for (var i = 0; i < _slots.Length; i++)
        {
            await stream.WriteAsync(encodedValues[(int)_slots[i]], ct);
            await stream.WriteAsync(_pieces[i + 1], ct);
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
