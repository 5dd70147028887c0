using System.Net;
using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Newsletter.Core.Email;

/// <summary>
/// A <c>multipart/alternative</c> body (text, then HTML) whose bytes are prepared once per digest:
/// boundary, part headers and quoted-printable content. Writing it copies those bytes with the
/// recipient's values filled in; nothing is parsed, encoded or converted per message.
/// </summary>
public sealed class PreEncodedAlternative : MimeEntity
{
    private readonly Template _template;
    private readonly Values _values;

    private PreEncodedAlternative(Template template, Values values)
        : base(new ContentType("multipart", "alternative") { Boundary = template.Boundary })
    {
        _template = template;
        _values = values;
    }

    /// <summary>One recipient's values, encoded for each part and indexed by slot kind.</summary>
    internal readonly record struct Values(byte[][] Text, byte[][] Html);

    /// <summary>The parts shared by every recipient of one digest.</summary>
    public sealed class Template
    {
        private static readonly int KindCount = Enum.GetValues<SlotKind>().Length;
        private readonly QuotedPrintableSegments _text;
        private readonly QuotedPrintableSegments _html;
        private readonly SlotKind[] _kinds;

        public Template(SlottedText text, SlottedText html)
        {
            Boundary = "=_" + MimeUtils.GenerateMessageId().Replace("@", ".").Replace("<", "").Replace(">", "");
            _text = new QuotedPrintableSegments(text);
            _html = new QuotedPrintableSegments(html);
            _kinds = _text.Kinds.Union(_html.Kinds).ToArray();
            OpenText = Ascii($"--{Boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
            OpenHtml = Ascii($"\r\n--{Boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
            Close = Ascii($"\r\n--{Boundary}--\r\n");
        }

        public string Boundary { get; }

        private byte[] OpenText { get; }

        private byte[] OpenHtml { get; }

        private byte[] Close { get; }

        /// <summary>
        /// One recipient's body: only the values of the kinds the parts hold are encoded here, as
        /// text for the text part and HTML-escaped for the HTML part (the same bytes when escaping
        /// changes nothing, as for the links made today).
        /// </summary>
        public PreEncodedAlternative Fill(Func<SlotKind, string> valueOf)
        {
            var text = new byte[KindCount][];
            var html = new byte[KindCount][];
            foreach (var kind in _kinds)
            {
                var value = valueOf(kind);
                var escaped = WebUtility.HtmlEncode(value);
                text[(int)kind] = QuotedPrintableSegments.Encode(value);
                html[(int)kind] = ReferenceEquals(escaped, value) ? text[(int)kind] : QuotedPrintableSegments.Encode(escaped);
            }
            return new PreEncodedAlternative(this, new Values(text, html));
        }

        internal void WriteTo(Stream stream, Values values)
        {
            stream.Write(OpenText);
            _text.WriteTo(stream, values.Text);
            stream.Write(OpenHtml);
            _html.WriteTo(stream, values.Html);
            stream.Write(Close);
        }

        internal async Task WriteToAsync(Stream stream, Values values, CancellationToken ct)
        {
            await stream.WriteAsync(OpenText, ct);
            await _text.WriteToAsync(stream, values.Text, ct);
            await stream.WriteAsync(OpenHtml, ct);
            await _html.WriteToAsync(stream, values.Html, ct);
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
        _template.WriteTo(stream, _values);
    }

    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly = false, CancellationToken cancellationToken = default)
    {
        if (!contentOnly) await base.WriteToAsync(options, stream, false, cancellationToken);
        await _template.WriteToAsync(stream, _values, cancellationToken);
    }
}
