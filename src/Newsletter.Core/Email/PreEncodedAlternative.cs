using System.Net;
using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Newsletter.Core.Email;

/// <summary>
/// A <c>multipart/alternative</c> body (text, then HTML) whose bytes are prepared once per digest:
/// boundary, part headers and quoted-printable content, cut into head, one section per pool paper
/// and tail. Writing it copies those bytes: the head, the reader's papers' sections, the tail, with
/// the reader's values filled in; nothing is parsed, rendered or converted per message.
/// </summary>
public sealed class PreEncodedAlternative : MimeEntity
{
    private readonly Template _template;
    private readonly EncodedValue[] _mail;
    private readonly PaperValues[] _papers;

    private PreEncodedAlternative(Template template, EncodedValue[] mail, PaperValues[] papers)
        : base(new ContentType("multipart", "alternative") { Boundary = template.Boundary })
    {
        _template = template;
        _mail = mail;
        _papers = papers;
    }

    /// <summary>The parts shared by every recipient of one digest.</summary>
    public sealed class Template
    {
        public static readonly int KindCount = Enum.GetValues<SlotKind>().Length;
        private readonly Part _text;
        private readonly Part _html;

        public Template(SlottedText text, SlottedText html)
        {
            Boundary = "=_" + MimeUtils.GenerateMessageId().Replace("@", ".").Replace("<", "").Replace(">", "");
            _text = new Part(SlottedSections.Split(text));
            _html = new Part(SlottedSections.Split(html));
            if (_text.Papers.Length != _html.Papers.Length)
                throw new InvalidOperationException($"The text part has {_text.Papers.Length} papers and the HTML part {_html.Papers.Length}.");
            MailKinds = _text.MailKinds.Union(_html.MailKinds).ToArray();
            OpenText = Ascii($"--{Boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
            OpenHtml = Ascii($"\r\n--{Boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
            Close = Ascii($"\r\n--{Boundary}--\r\n");
        }

        public string Boundary { get; }

        /// <summary>How many papers the body holds sections for (0: one body for everyone, as digests made before readers chose).</summary>
        public int PaperCount => _text.Papers.Length;

        /// <summary>The kinds of value the head and tail hold.</summary>
        public IReadOnlyList<SlotKind> MailKinds { get; }

        private byte[] OpenText { get; }

        private byte[] OpenHtml { get; }

        private byte[] Close { get; }

        /// <summary>A body with only mail-wide values (no paper sections: a uniform digest, or a test's template).</summary>
        public PreEncodedAlternative Fill(Func<SlotKind, string> valueOf)
        {
            var mail = new EncodedValue[KindCount];
            foreach (var kind in MailKinds) mail[(int)kind] = EncodedValue.Of(valueOf(kind));
            return new PreEncodedAlternative(this, mail, []);
        }

        /// <summary>One reader's body: their mail-wide values (indexed by kind) and their papers' sections in the order given.</summary>
        public PreEncodedAlternative Fill(EncodedValue[] mail, PaperValues[] papers)
        {
            foreach (var paper in papers)
            {
                if ((uint)paper.Index >= (uint)PaperCount) throw new ArgumentOutOfRangeException(nameof(papers), $"The body has no paper {paper.Index}.");
            }
            return new PreEncodedAlternative(this, mail, papers);
        }

        internal void WriteTo(Stream stream, PreEncodedAlternative body)
        {
            stream.Write(OpenText);
            _text.WriteTo(stream, body, html: false);
            stream.Write(OpenHtml);
            _html.WriteTo(stream, body, html: true);
            stream.Write(Close);
        }

        internal async Task WriteToAsync(Stream stream, PreEncodedAlternative body, CancellationToken ct)
        {
            await stream.WriteAsync(OpenText, ct);
            await _text.WriteToAsync(stream, body, html: false, ct);
            await stream.WriteAsync(OpenHtml, ct);
            await _html.WriteToAsync(stream, body, html: true, ct);
            await stream.WriteAsync(Close, ct);
        }

        private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
    }

    /// <summary>One part (text or HTML), encoded in sections.</summary>
    private sealed class Part(SlottedSections sections)
    {
        private readonly QuotedPrintableSegments _head = new(sections.Head);
        private readonly QuotedPrintableSegments _tail = new(sections.Tail);

        public QuotedPrintableSegments[] Papers { get; } = sections.Papers.Select(p => new QuotedPrintableSegments(p)).ToArray();

        public IEnumerable<SlotKind> MailKinds => _head.Kinds.Union(_tail.Kinds);

        public void WriteTo(Stream stream, PreEncodedAlternative body, bool html)
        {
            _head.WriteTo(stream, body._mail, html);
            foreach (var paper in body._papers) Papers[paper.Index].WriteTo(stream, paper.Values, html);
            _tail.WriteTo(stream, body._mail, html);
        }

        public async Task WriteToAsync(Stream stream, PreEncodedAlternative body, bool html, CancellationToken ct)
        {
            await _head.WriteToAsync(stream, body._mail, html, ct);
            foreach (var paper in body._papers) await Papers[paper.Index].WriteToAsync(stream, paper.Values, html, ct);
            await _tail.WriteToAsync(stream, body._mail, html, ct);
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
        _template.WriteTo(DotStuffing.For(stream), this);
    }

    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly = false, CancellationToken cancellationToken = default)
    {
        if (!contentOnly) await base.WriteToAsync(options, stream, false, cancellationToken);
        await _template.WriteToAsync(DotStuffing.For(stream), this, cancellationToken);
    }
}
