using System.Net;

namespace Newsletter.Core.Email;

/// <summary>
/// One personal value ready for the wire: quoted-printable for the text part, HTML-escaped and
/// quoted-printable for the HTML part (the same bytes when escaping changes nothing, as for links).
/// </summary>
public readonly record struct EncodedValue(byte[] Text, byte[] Html)
{
    public static EncodedValue Of(string value)
    {
        var text = QuotedPrintableSegments.Encode(value);
        var escaped = WebUtility.HtmlEncode(value);
        return new EncodedValue(text, ReferenceEquals(escaped, value) || escaped == value ? text : QuotedPrintableSegments.Encode(escaped));
    }

    public byte[] For(bool html) => html ? Html : Text;
}

/// <summary>The values of one paper section of a reader's mail: which pool paper, and its slots' values by kind.</summary>
public readonly record struct PaperValues(int Index, EncodedValue[] Values);
