using System.Text;
using MimeKit;
using Newsletter.Core.Email;

namespace Newsletter.Core.Tests.Email;

/// <summary>A reader's own values go exactly where a template wrote a slot, and nowhere else.</summary>
public sealed class PersonalSlotsTests : IDisposable
{
    private const string Value = "http://newsletter.test/unsubscribe?token=dTo0Mg.signature";
    private readonly string _folder = Directory.CreateTempSubdirectory("newsletter-slots-").FullName;
    private readonly TemplateRenderer _templates;

    public PersonalSlotsTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "email"));
        // Three slots in the HTML (two attributes, one text) and two in the text part, beside a paper's outside data.
        File.WriteAllText(Path.Combine(_folder, "email", "Three.cshtml"), """
            @model Newsletter.Core.Email.DigestModel
            <p><a href="@Model.Slots.Unsubscribe">Leave</a> <a href="@Model.Papers[0].ProjectPage">@Model.Papers[0].Title</a></p>
            <p>Or copy @Model.Slots.Unsubscribe into your browser. <a href="@Model.Slots.Unsubscribe">Leave</a></p>
            """);
        File.WriteAllText(Path.Combine(_folder, "email", "Two.txt.cshtml"), """
            @model Newsletter.Core.Email.DigestModel
            Leave: @Model.Slots.Unsubscribe
            Site: @Model.Papers[0].ProjectPage
            Leave again: @Model.Slots.Unsubscribe
            """);
        _templates = new TemplateRenderer(new TemplateFolder(_folder, typeof(PersonalSlotsTests).Assembly));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static DigestModel Model(PersonalSlots slots, string projectPage = "https://project.example/") => new(
        new SenderInfo("Daily Papers", "1 Test Street", new PublicUrls("http://newsletter.test")),
        new DateOnly(2026, 6, 1),
        [new DigestPaperView(1, "2606.00001", "A paper", 1, 0, "", "Summary", false, null, null, projectPage)],
        slots,
        IsWebView: false);

    private static int Count(string text, string value) => text.Split(value).Length - 1;

    [Fact]
    public async Task ATemplateThatWritesTheSlotThreeTimesGetsExactlyThreeFills()
    {
        var marker = PersonalSlots.NewMarker();
        var slots = PersonalSlots.For(marker);

        var html = await _templates.RenderHtmlAsync("email/Three.cshtml", Model(slots));
        var cut = slots.Verify(html);

        Assert.Equal(3, slots.Unsubscribe.Written);
        Assert.Equal([SlotKind.Unsubscribe, SlotKind.Unsubscribe, SlotKind.Unsubscribe], cut.Slots);
        var filled = cut.Fill(_ => Value);
        Assert.Equal(3, Count(filled, Value));
        Assert.DoesNotContain(marker, filled);
        Assert.Contains("<a href=\"https://project.example/\">A paper</a>", filled);
    }

    [Fact]
    public async Task ATextTemplateThatWritesTheSlotTwiceGetsExactlyTwoFills()
    {
        var slots = PersonalSlots.For(PersonalSlots.NewMarker());

        var text = await _templates.RenderTextAsync("email/Two.txt.cshtml", Model(slots));

        Assert.Equal(2, slots.Unsubscribe.Written);
        Assert.Equal(2, Count(slots.Verify(text).Fill(_ => Value), Value));
    }

    [Fact]
    public async Task ABodyHoldingTheMarkerOnceMoreThanWrittenIsRefused()
    {
        var marker = PersonalSlots.NewMarker();
        var slots = PersonalSlots.For(marker);
        // As if a paper's data held this rendering's marker (it cannot: the marker is made after the data arrives).
        var html = await _templates.RenderHtmlAsync("email/Three.cshtml",
            Model(slots, "https://evil.example/?next=" + SlottedText.MarkerOf(marker, SlotKind.Unsubscribe)));

        var refused = Assert.Throws<InvalidOperationException>(() => slots.Verify(html));
        Assert.Contains("4 times", refused.Message);
        Assert.Contains("wrote it 3 times", refused.Message);
    }

    [Fact]
    public async Task ABodyThatLostAWrittenSlotIsRefused()
    {
        var marker = PersonalSlots.NewMarker();
        var slots = PersonalSlots.For(marker);
        var html = await _templates.RenderHtmlAsync("email/Three.cshtml", Model(slots));
        var withoutOne = html.Remove(html.IndexOf(marker, StringComparison.Ordinal), SlottedText.MarkerOf(marker, SlotKind.Unsubscribe).Length);

        Assert.Throws<InvalidOperationException>(() => slots.Verify(withoutOne));
    }

    [Fact]
    public async Task ARenderingWithoutPersonalValuesCannotWriteASlot()
    {
        var failure = await Record.ExceptionAsync(() => _templates.RenderHtmlAsync("email/Three.cshtml", Model(PersonalSlots.None)));
        Assert.NotNull(failure);
        Assert.Contains("no personal values", failure.ToString());
    }

    [Fact]
    public void TheOldFixedMarkerOfEarlierDigestsIsTheirUnsubscribeSlot()
    {
        const string body = "<a href=\"" + SlottedText.LegacyMarker + "\">Leave</a> " + SlottedText.LegacyMarker;
        var cut = SlottedText.Cut(body, SlottedText.LegacyMarker);
        Assert.Equal([SlotKind.Unsubscribe, SlotKind.Unsubscribe], cut.Slots);
        Assert.Equal($"<a href=\"{Value}\">Leave</a> {Value}", cut.Fill(_ => Value));
    }

    [Fact]
    public void AMarkerNamingNoKnownKindIsRefused()
    {
        var marker = PersonalSlots.NewMarker();
        Assert.Throws<InvalidOperationException>(() => SlottedText.Cut($"a {marker}-bogus b", marker));
        Assert.Throws<ArgumentException>(() => SlottedText.Cut("a b", ""));
    }

    [Fact]
    public void EachRenderingHasItsOwnUnguessableMarker()
    {
        var markers = Enumerable.Range(0, 100).Select(_ => PersonalSlots.NewMarker()).ToList();
        Assert.Equal(100, markers.Distinct().Count());
        Assert.All(markers, m => Assert.Matches("^slot[0-9a-f]{32}$", m));
    }

    [Fact]
    public void TheHtmlPartGetsTheValueEscapedAndTheTextPartAsItIs()
    {
        var marker = PersonalSlots.NewMarker();
        var slot = SlottedText.MarkerOf(marker, SlotKind.Unsubscribe);
        var template = new PreEncodedAlternative.Template(
            SlottedText.Cut($"Leave: {slot}", marker), SlottedText.Cut($"<a href=\"{slot}\">Leave</a>", marker));

        using var written = new MemoryStream();
        var message = new MimeMessage { Body = template.Fill(_ => "http://x.test/u?a=1&b=<2>") };
        message.WriteTo(written);
        var parsed = MimeMessage.Load(new MemoryStream(written.ToArray()));

        Assert.Equal("Leave: http://x.test/u?a=1&b=<2>", parsed.TextBody);
        Assert.Equal("<a href=\"http://x.test/u?a=1&amp;b=&lt;2&gt;\">Leave</a>", parsed.HtmlBody);
    }

    [Theory]
    [InlineData("jane.reader@example.org", "j•••@example.org")]
    [InlineData("j@example.org", "•••@example.org")]
    [InlineData("émile@exemple.fr", "é•••@exemple.fr")]
    [InlineData("\"odd@local\"@example.org", "\"•••@example.org")]
    public void TheUnsubscribePageMasksTheAddress(string email, string shown)
    {
        Assert.Equal(shown, UnsubscribePage.Mask(email));
    }
}
