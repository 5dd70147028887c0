using Newsletter.Core.Replies;

namespace Newsletter.Core.Tests.Replies;

/// <summary>Where the lines a reader wrote end: at the quote or signature markers of the common mail clients.</summary>
public sealed class WrittenLinesTests
{
    [Theory]
    [InlineData("weekly\n> daily\n")]
    [InlineData("weekly\nOn Tue, 3 Nov 2026 at 08:00, Daily Papers <papers@localhost> wrote:\ndaily\n")]
    [InlineData("weekly\nOn Tue, 3 Nov 2026 at 08:00 Daily Papers <\npapers@localhost> wrote:\ndaily\n")]
    [InlineData("weekly\n-----Original Message-----\ndaily\n")]
    [InlineData("weekly\nFrom: Daily Papers <papers@localhost>\nSent: Tuesday, November 3, 2026 8:00 AM\ndaily\n")]
    [InlineData("weekly\n-- \nAda\ndaily\n")]
    [InlineData("weekly\n\nSent from my iPhone\ndaily\n")]
    [InlineData("weekly\r\nGet Outlook for Android\r\ndaily\r\n")]
    public void ReadingStopsAtTheFirstQuoteOrSignatureMarker(string text)
    {
        Assert.Equal(["weekly"], WrittenLines.Cut(text));
    }

    [Fact]
    public void AnHtmlReplyKeepsItsParagraphsAndDropsItsStyleAndItsBlockquote()
    {
        var text = HtmlText.Convert("<html><head><style>p{margin:0}</style></head><body><p>more: a&amp;b</p><div>+2</div>" +
                                    "<blockquote type=cite><p>daily</p></blockquote></body></html>");

        Assert.Equal(["more: a&b", "+2"], WrittenLines.Cut(text));
    }
}
