using System.Text;
using System.Text.RegularExpressions;

namespace Newsletter.Api.Tests.Deliverability;

/// <summary>
/// The headers mailbox providers read for bulk mail, checked on the raw bytes received (as a
/// provider's parser sees them, folding and all), not on a parsed message.
/// </summary>
public sealed class DigestHeaderTests(SentMailFixture fixture) : IClassFixture<SentMailFixture>
{
    [Fact]
    public async Task FeedbackIdNamesTheDigestSoComplaintsCanBeTracedToIt()
    {
        var sent = await fixture.MailAsync();
        var value = Assert.Single(RawHeaders(sent.Digest.Raw, "Feedback-ID"));
        Assert.Equal($"{sent.DigestId}:daily:digest:daily-papers", value);
    }

    [Fact]
    public async Task ListUnsubscribeHoldsOnlyTheHttpsOneClickAddress()
    {
        var sent = await fixture.MailAsync();
        var value = Assert.Single(RawHeaders(sent.Digest.Raw, "List-Unsubscribe"));
        Assert.Matches($@"^<{Regex.Escape(SentMailFixture.PublicBaseUrl)}/unsubscribe\?token=[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+>$", value);
        Assert.DoesNotContain("mailto:", value, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("List-Unsubscribe=One-Click", Assert.Single(RawHeaders(sent.Digest.Raw, "List-Unsubscribe-Post")));
    }

    /// <summary>Every value of the named header in the raw header block, unfolded and trimmed.</summary>
    private static IReadOnlyList<string> RawHeaders(byte[] raw, string name)
    {
        var text = Encoding.ASCII.GetString(raw);
        var block = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        var unfolded = Regex.Replace(block, @"\r\n(?=[ \t])", "");
        return unfolded.Split("\r\n")
            .Where(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(line => line[(name.Length + 1)..].Trim())
            .ToList();
    }
}
