using System.Text;
using MimeKit.IO;
using Newsletter.Core.Email;

namespace Newsletter.Core.Tests.Email;

/// <summary>
/// The body's own dot-stuffing (RFC 5321 4.5.2), which replaces MailKit's byte-at-a-time filter on
/// the DATA stream: every line that starts with '.' gets one more, wherever the writes are cut.
/// </summary>
public sealed class DotStuffingTests
{
    private const string Body =
        ".first line starts with a dot\r\nplain\r\n.\r\n..two\r\nend.\r\n.\r\nmid.dle . dots\r\n.";

    private const string Stuffed =
        "..first line starts with a dot\r\nplain\r\n..\r\n...two\r\nend.\r\n..\r\nmid.dle . dots\r\n..";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1000)]
    public async Task EveryLineThatStartsWithADotGetsOneMoreHoweverTheWritesAreCut(int chunk)
    {
        var bytes = Encoding.ASCII.GetBytes(Body);
        using var wire = new MemoryStream();
        var body = Stuffing(wire);
        for (var at = 0; at < bytes.Length; at += chunk)
            await body.WriteAsync(bytes.AsMemory(at, Math.Min(chunk, bytes.Length - at)));
        Assert.Equal(Stuffed, Encoding.ASCII.GetString(wire.ToArray()));

        using var wireSync = new MemoryStream();
        var bodySync = Stuffing(wireSync);
        for (var at = 0; at < bytes.Length; at += chunk)
            bodySync.Write(bytes, at, Math.Min(chunk, bytes.Length - at));
        Assert.Equal(Stuffed, Encoding.ASCII.GetString(wireSync.ToArray()));
    }

    [Fact]
    public void OnlyMailKitsDataStreamIsWrittenAround()
    {
        using var file = new MemoryStream();
        Assert.Same(file, DotStuffing.For(file));
        // A filtered stream over anything else (a signer's canonicalisation, a measuring stream)
        // keeps its filters: the body goes through them.
        using var filtered = new FilteredStream(file);
        Assert.Same(filtered, DotStuffing.For(filtered));
    }

    // MailKit's DATA stream is internal to it: the stuffing stream is made over a plain one here.
    private static Stream Stuffing(Stream wire) => new DotStuffing(wire);
}
