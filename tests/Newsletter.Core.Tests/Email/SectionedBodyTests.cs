using MimeKit;
using Newsletter.Core.Email;

namespace Newsletter.Core.Tests.Email;

/// <summary>A digest body cut into head, one section per paper and tail, assembled per reader.</summary>
public sealed class SectionedBodyTests
{
    private static readonly string Marker = PersonalSlots.NewMarker();

    private static string M(SlotKind kind) => SlottedText.MarkerOf(Marker, kind);

    private static string Body(string open, string close) =>
        $"{open}Top: {M(SlotKind.Lede)}\n" +
        $"{M(SlotKind.Paper)}#{M(SlotKind.Rank)} First paper{M(SlotKind.Why)}\nmore: {M(SlotKind.More)} less: {M(SlotKind.Less)}\n" +
        $"{M(SlotKind.Paper)}#{M(SlotKind.Rank)} Second paper{M(SlotKind.Why)}\nmore: {M(SlotKind.More)} less: {M(SlotKind.Less)}\n" +
        $"{M(SlotKind.Paper)}#{M(SlotKind.Rank)} Third paper{M(SlotKind.Why)}\nmore: {M(SlotKind.More)} less: {M(SlotKind.Less)}\n" +
        $"{M(SlotKind.PapersEnd)}-- leave: {M(SlotKind.Unsubscribe)} prefs: {M(SlotKind.Preferences)}{close}";

    private static EncodedValue[] PaperValues(int rank, string why, string paper) =>
        Values((SlotKind.Rank, rank.ToString()), (SlotKind.Why, why), (SlotKind.More, $"http://x.test/feedback?token={paper}+"),
            (SlotKind.Less, $"http://x.test/feedback?token={paper}-"));

    private static EncodedValue[] Values(params (SlotKind Kind, string Value)[] values)
    {
        var all = new EncodedValue[PreEncodedAlternative.Template.KindCount];
        foreach (var (kind, value) in values) all[(int)kind] = EncodedValue.Of(value);
        return all;
    }

    [Fact]
    public void AReadersMailHoldsTheHeadTheirPapersInTheirOrderAndTheTail()
    {
        var text = SlottedText.Cut(Body("", "\n"), Marker);
        var html = SlottedText.Cut(Body("<p>", "</p>"), Marker);
        var template = new PreEncodedAlternative.Template(text, html);
        Assert.Equal(3, template.PaperCount);

        var mail = Values((SlotKind.Lede, "Two for you"), (SlotKind.Unsubscribe, "http://x.test/unsubscribe?token=u"),
            (SlotKind.Preferences, "http://x.test/preferences?token=p"));
        var body = template.Fill(mail, [new PaperValues(2, PaperValues(1, " · matches <robots>", "c")), new PaperValues(0, PaperValues(2, "", "a"))]);
        using var written = new MemoryStream();
        new MimeMessage { Body = body }.WriteTo(written);
        var parsed = MimeMessage.Load(new MemoryStream(written.ToArray()));

        Assert.Equal(
            "Top: Two for you\n#1 Third paper · matches <robots>\nmore: http://x.test/feedback?token=c+ less: http://x.test/feedback?token=c-\n" +
            "#2 First paper\nmore: http://x.test/feedback?token=a+ less: http://x.test/feedback?token=a-\n" +
            "-- leave: http://x.test/unsubscribe?token=u prefs: http://x.test/preferences?token=p\n",
            parsed.TextBody);
        Assert.Contains("#1 Third paper &#183; matches &lt;robots&gt;", parsed.HtmlBody);
        Assert.DoesNotContain("Second paper", parsed.HtmlBody);
        Assert.DoesNotContain(Marker, parsed.HtmlBody);
    }

    [Fact]
    public void ABodyWithoutSectionsIsOneBodyForEveryone()
    {
        var sections = SlottedSections.Split(SlottedText.Cut($"Hello {M(SlotKind.Unsubscribe)} bye", Marker));
        Assert.Empty(sections.Papers);
        Assert.Equal([SlotKind.Unsubscribe], sections.Head.Slots);
    }

    [Fact]
    public void PapersWithoutTheirEndOrAfterItAreRefused()
    {
        Assert.Throws<InvalidOperationException>(() => SlottedSections.Split(SlottedText.Cut($"a {M(SlotKind.Paper)} b", Marker)));
        Assert.Throws<InvalidOperationException>(() =>
            SlottedSections.Split(SlottedText.Cut($"a {M(SlotKind.Paper)} b {M(SlotKind.PapersEnd)} c {M(SlotKind.Paper)} d", Marker)));
    }

    [Fact]
    public void APaperTheBodyDoesNotHoldIsRefused()
    {
        var template = new PreEncodedAlternative.Template(SlottedText.Cut(Body("", ""), Marker), SlottedText.Cut(Body("", ""), Marker));
        Assert.Throws<ArgumentOutOfRangeException>(() => template.Fill(Values(), [new PaperValues(3, PaperValues(1, "", "x"))]));
    }

    [Theory]
    [InlineData("http://newsletter.test/feedback?token=ZjoxOjE6MjYwOC4wNDAwMTor.abcdefghijklmnopqrstuvwxyz0123456789-_ABCDEFGHIJKLMNOP")]
    [InlineData("==========================================================================================")]
    [InlineData("a")]
    [InlineData("")]
    public void PrintableAsciiValuesEncodeToLinesThatDecodeToThemselves(string value)
    {
        var encoded = QuotedPrintableSegments.Encode(value);
        var wire = System.Text.Encoding.ASCII.GetString(encoded);
        Assert.All(wire.Split("\r\n"), line => Assert.True(line.Length <= 76, line));
        var part = new TextPart("plain") { Content = new MimeContent(new MemoryStream(encoded), ContentEncoding.QuotedPrintable) };
        part.ContentType.Charset = "utf-8";
        Assert.Equal(value, part.Text);
    }
}
