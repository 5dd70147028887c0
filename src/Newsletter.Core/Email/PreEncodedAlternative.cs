using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Newsletter.Core.Email;

/// <summary>
/// A <c>multipart/alternative</c> body (text, then HTML) whose bytes are prepared once per digest:
/// boundary, part headers and quoted-printable content. Writing it copies those bytes with the
/// recipient's link filled in; nothing is parsed, encoded or converted per message.
/// </summary>
public sealed class PreEncodedAlternative : MimeEntity
{
    private readonly byte[] _openText;
    private readonly byte[] _openHtml;
    private readonly byte[] _close;
    private readonly QuotedPrintableSegments _text;
    private readonly QuotedPrintableSegments _html;
    private readonly byte[] _value;

    private PreEncodedAlternative(ContentType type, byte[] openText, byte[] openHtml, byte[] close,
        QuotedPrintableSegments text, QuotedPrintableSegments html, byte[] value) : base(type)
    {
        (_openText, _openHtml, _close, _text, _html, _value) = (openText, openHtml, close, text, html, value);
    }

    /// <summary>The parts shared by every recipient of one digest.</summary>
    public sealed class Template
    {
        private readonly string _boundary = MimeUtils.GenerateMessageId().Replace("@", ".").Replace("<", "").Replace(">", "");
        private readonly byte[] _openText;
        private readonly byte[] _openHtml;
        private readonly byte[] _close;
        private readonly QuotedPrintableSegments _text;
        private readonly QuotedPrintableSegments _html;

        public Template(string text, string html, string marker)
        {
            _text = new QuotedPrintableSegments(text, marker);
            _html = new QuotedPrintableSegments(html, marker);
            _openText = Ascii($"--=_{_boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
            _openHtml = Ascii($"\r\n--=_{_boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
            _close = Ascii($"\r\n--=_{_boundary}--\r\n");
        }

        public PreEncodedAlternative Fill(string value)
        {
            var type = new ContentType("multipart", "alternative") { Boundary = "=_" + _boundary };
            return new PreEncodedAlternative(type, _openText, _openHtml, _close, _text, _html, QuotedPrintableSegments.Encode(value));
        }
    }

    // Only ever written to the wire, never walked for display: there is nothing to visit.
    public override void Accept(MimeVisitor visitor)
    {
    }

    // Already 7-bit clean, lines under 78 characters: nothing to prepare.
    public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
    {
    }

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly = false, CancellationToken cancellationToken = default)
    {
        if (!contentOnly) base.WriteTo(options, stream, false, cancellationToken);
        stream.Write(_openText);
        _text.WriteTo(stream, _value);
        stream.Write(_openHtml);
        _html.WriteTo(stream, _value);
        stream.Write(_close);
    }

    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly = false, CancellationToken cancellationToken = default)
    {
        if (!contentOnly) await base.WriteToAsync(options, stream, false, cancellationToken);
        await stream.WriteAsync(_openText, cancellationToken);
        await _text.WriteToAsync(stream, _value, cancellationToken);
        await stream.WriteAsync(_openHtml, cancellationToken);
        await _html.WriteToAsync(stream, _value, cancellationToken);
        await stream.WriteAsync(_close, cancellationToken);
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
