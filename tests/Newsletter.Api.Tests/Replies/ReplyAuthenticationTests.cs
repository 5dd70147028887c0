using MimeKit;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Replies;

/// <summary>The service with Replies:AuthServId: the receiving server must vouch for a reply's From.</summary>
public sealed class AuthenticatedReplyFixture : AppFixture
{
    public const string AuthServId = "mx.replies.newsletter.test";

    protected override IDictionary<string, string?> Settings =>
        new Dictionary<string, string?>(ReplyMails.Settings) { ["Replies:AuthServId"] = AuthServId };
}

/// <summary>
/// A reply address travels with every forwarded digest, and From is whatever the sender writes: with
/// Replies:AuthServId set, only a reply the receiving server authenticated (DMARC, or DKIM aligned
/// with From) steers; the answer echoes few of the sender's words and none of their links.
/// </summary>
public sealed class ReplyAuthenticationTests(AuthenticatedReplyFixture fixture) : IClassFixture<AuthenticatedReplyFixture>
{
    private const string Ours = AuthenticatedReplyFixture.AuthServId;

    private NewsletterApp App => fixture.App;

    // As the receiving server adds it: on top of the headers the sender wrote.
    private static MimeMessage Vouched(MimeMessage reply, string results)
    {
        reply.Headers.Insert(0, new Header("Authentication-Results", results));
        return reply;
    }

    [Fact]
    public async Task AForgedFromThatNoServerVouchedForIsIgnored()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("spoofed@example.org", new DateOnly(2026, 5, 4));
        using var client = App.CreatePublicClient();
        var before = await client.SnapshotAsync(reader);
        MimeMessage[] forged =
        [
            ReplyMails.Plain(digest, reader.Email, "stop"),
            Vouched(ReplyMails.Plain(digest, reader.Email, "stop"), "elsewhere.example.net; dmarc=pass header.from=example.org"),
            Vouched(ReplyMails.Plain(digest, reader.Email, "stop"), $"{Ours}; dmarc=fail header.from=example.org"),
            Vouched(ReplyMails.Plain(digest, reader.Email, "stop"), $"{Ours}; dkim=pass header.d=attacker.example.net"),
            Vouched(ReplyMails.Plain(digest, reader.Email, "stop"), $"{Ours}; dkim=pass header.d=org"),
            // The sender's own claim below the server's verdict counts for nothing.
            Vouched(Vouched(ReplyMails.Plain(digest, reader.Email, "stop"), $"{Ours}; dmarc=pass header.from=example.org"),
                $"{Ours}; dmarc=fail header.from=example.org"),
        ];

        foreach (var reply in forged)
        {
            var answer = await App.ReplyAsync(reply);
            Assert.Equal("ignored", answer.GetProperty("action").GetString());
            Assert.Contains("did not authenticate From", answer.GetProperty("reason").GetString());
        }

        Assert.Equal("active", await App.StatusOfAsync(reader.Email));
        Assert.Equal(before, await client.SnapshotAsync(reader));
        Assert.Empty(App.AnswersTo(reader.Email));
    }

    [Fact]
    public async Task AReplyTheServerAuthenticatedByDmarcOrAlignedDkimSteers()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("genuine@example.org", new DateOnly(2026, 5, 5));

        var byDmarc = await App.ReplyAsync(Vouched(ReplyMails.Plain(digest, reader.Email, "weekly"),
            $"{Ours}; spf=pass smtp.mailfrom=example.org; dmarc=pass (p=none) header.from=example.org"));
        var byDkim = await App.ReplyAsync(Vouched(ReplyMails.Plain(digest, reader.Email, "papers: 4"),
            $"{Ours.ToUpperInvariant()}; dkim=pass header.d=example.org header.s=mail"));

        Assert.Equal("applied", byDmarc.GetProperty("action").GetString());
        Assert.Equal("applied", byDkim.GetProperty("action").GetString());
        using var client = App.CreatePublicClient();
        var preferences = await client.PreferencesAsync(reader);
        Assert.Equal("weekly", preferences.GetProperty("frequency").GetString());
        Assert.Equal(4, preferences.GetProperty("maxPapers").GetInt32());
    }

    [Fact]
    public async Task TheAnswerEchoesAFewLinesNotUnderstoodAndNoLinks()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("chatty@example.org", new DateOnly(2026, 5, 6));
        var written = "Your account is locked, log in at https://evil.example.net/login now\n" +
                      "or visit www.evil.example.net/help\nline three\nline four\nline five\nline six\nline seven\nweekly\n";

        var answer = await App.ReplyAsync(Vouched(ReplyMails.Plain(digest, reader.Email, written), $"{Ours}; dmarc=pass header.from=example.org"));

        Assert.Equal("applied", answer.GetProperty("action").GetString());
        Assert.Equal(7, answer.GetProperty("notUnderstood").GetArrayLength());
        var text = Assert.Single(App.AnswersTo(reader.Email)).Message.TextBody!;
        Assert.DoesNotContain("evil.example.net", text);
        Assert.Contains("log in at [link] now", text);
        Assert.Contains("- line five", text);
        Assert.DoesNotContain("line six", text);
        Assert.Contains("- and 2 more lines", text);
    }
}
