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
    private readonly Template _template;
    private readonly byte[] _value;

    private PreEncodedAlternative(Template template, byte[] value)
        : base(new ContentType("multipart", "alternative") { Boundary = template.Boundary })
    {
        _template = template;
        _value = value;
    }

    /// <summary>The parts shared by every recipient of one digest.</summary>
    public sealed class Template
    {
        private readonly QuotedPrintableSegments _text;
        private readonly QuotedPrintableSegments _html;

        public Template(string text, string html, string marker)
        {
            Boundary = "=_" + MimeUtils.GenerateMessageId().Replace("@", ".").Replace("<", "").Replace(">", "");
            _text = new QuotedPrintableSegments(text, marker);
            _html = new QuotedPrintableSegments(html, marker);
            OpenText = Ascii($"--{Boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
            OpenHtml = Ascii($"\r\n--{Boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
            Close = Ascii($"\r\n--{Boundary}--\r\n");
        }

        public string Boundary { get; }

        private byte[] OpenText { get; }

        private byte[] OpenHtml { get; }

        private byte[] Close { get; }

        /// <summary>One recipient's body: only the value is encoded here.</summary>
        public PreEncodedAlternative Fill(string value) => new(this, QuotedPrintableSegments.Encode(value));

        internal void WriteTo(Stream stream, byte[] value)
        {
            stream.Write(OpenText);
            _text.WriteTo(stream, value);
            stream.Write(OpenHtml);
            _html.WriteTo(stream, value);
            stream.Write(Close);
        }

        internal async Task WriteToAsync(Stream stream, byte[] value, CancellationToken ct)
        {
            await stream.WriteAsync(OpenText, ct);
            await _text.WriteToAsync(stream, value, ct);
            await stream.WriteAsync(OpenHtml, ct);
            await _html.WriteToAsync(stream, value, ct);
            await stream.WriteAsync(Close, ct);
        }

        private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
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
        _template.WriteTo(stream, _value);
    }

    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly = false, CancellationToken cancellationToken = default)
    {
        if (!contentOnly) await base.WriteToAsync(options, stream, false, cancellationToken);
        await _template.WriteToAsync(stream, _value, cancellationToken);
    }
}
