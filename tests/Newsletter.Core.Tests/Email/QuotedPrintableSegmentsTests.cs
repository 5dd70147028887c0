using System.Text;
using MimeKit;
using Newsletter.Core.Email;

namespace Newsletter.Core.Tests.Email;

public sealed class QuotedPrintableSegmentsTests
{
    private const string Marker = "slot0123456789abcdef0123456789abcdef-unsubscribe";

    [Theory]
    [InlineData("<p>Before</p><a href=\"" + Marker + "\">Leave</a> · ünïcödé and a very long line that goes on " +
                "and on well past the seventy-six characters quoted-printable allows on one line\n<p>" + Marker + "</p>\n")]
    [InlineData(Marker + " at the start and at the end " + Marker)]
    [InlineData("no marker at all = still fine\n")]
    [InlineData("trailing space before the marker " + Marker + "\ttab after")]
    public void PiecesEncodedApartDecodeToTheTextWithTheValueInPlace(string template)
    {
        var segments = new QuotedPrintableSegments(SlottedText.Cut(template, "slot0123456789abcdef0123456789abcdef"));
        const string value = "http://example.org/unsubscribe?token=dTo0Mg.abcdefghijklmnopqrstuvwxyz0123456789-_ABCDEFGHIJKLMNOPQRSTUV";

        using var written = new MemoryStream();
        var values = new EncodedValue[PreEncodedAlternative.Template.KindCount];
        values[(int)SlotKind.Unsubscribe] = EncodedValue.Of(value);
        segments.WriteTo(written, values, html: false);
        var encoded = written.ToArray();

        var wire = Encoding.ASCII.GetString(encoded);
        Assert.DoesNotContain("\n", wire.Replace("\r\n", ""));
        Assert.All(wire.Split("\r\n"), line => Assert.True(line.Length <= 76, line));
        var part = new TextPart("html")
        {
            Content = new MimeContent(new MemoryStream(encoded), ContentEncoding.QuotedPrintable),
        };
        part.ContentType.Charset = "utf-8";
        Assert.Equal(template.Replace(Marker, value), part.Text);
    }
}
