using System.Text;
using MimeKit;
using Newsletter.Core.Delivery;
using Newsletter.Core.Email;
using Newsletter.Core.Security;

namespace Newsletter.Core.Tests.Delivery;

/// <summary>The links written straight into mail bytes are the very links the pages accept.</summary>
public sealed class SignedLinksTests
{
    private static SubscriberTokens Tokens()
    {
        var secrets = new AppSecrets();
        secrets.Set(new SigningKey(Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef")), new AdminKey(new byte[32]));
        return new SubscriberTokens(secrets, TimeProvider.System);
    }

    private static string Decoded(byte[] encoded)
    {
        var part = new TextPart("plain") { Content = new MimeContent(new MemoryStream(encoded), ContentEncoding.QuotedPrintable) };
        part.ContentType.Charset = "utf-8";
        return part.Text;
    }

    [Theory]
    [InlineData("http://localhost:5080")]
    [InlineData("https://papers.example.org/newsletter/")]
    [InlineData("https://exämple.org")]
    public void FeedbackAndPreferencesLinksDecodeToTheOrdinaryLinksAndReadBack(string baseUrl)
    {
        var tokens = Tokens();
        var urls = new PublicUrls(baseUrl);
        var links = new SignedLinks(urls, tokens);

        var more = links.Feedback(987654321, 3, "2605.12345", +1);
        var less = links.Feedback(987654321, 3, "2605.12345", -1);
        var preferences = links.Preferences(42, 7);

        Assert.Equal(urls.Feedback(tokens.CreateFeedback(987654321, 3, "2605.12345", +1)), Decoded(more.Text));
        Assert.Equal(urls.Feedback(tokens.CreateFeedback(987654321, 3, "2605.12345", -1)), Decoded(less.Text));
        Assert.Equal(urls.Preferences(tokens.CreatePreferences(42, 7)), Decoded(preferences.Text));
        var token = Uri.UnescapeDataString(Decoded(less.Text).Split("token=")[1]);
        Assert.Equal(TokenError.None, tokens.TryRead(token, TokenPurpose.Feedback, out var claims));
        Assert.Equal((987654321L, 3L, "2605.12345", -1), (claims.SubscriberId, claims.ConsentVersion, claims.PaperId, claims.Vote));
        Assert.All(Encoding.ASCII.GetString(more.Text).Split("\r\n"), line => Assert.True(line.Length <= 76, line));
    }

    [Fact]
    public void TokensMadeBeforeAreReadTheSame()
    {
        // The unsubscribe token of subscriber 42 as earlier releases made it: links in old mail keep working.
        var tokens = Tokens();
        var payload = "u:42"u8.ToArray();
        var mac = System.Security.Cryptography.HMACSHA256.HashData(Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef"), payload);
        var old = System.Buffers.Text.Base64Url.EncodeToString(payload) + "." + System.Buffers.Text.Base64Url.EncodeToString(mac);
        Assert.Equal(old, tokens.CreateUnsubscribe(42));
        Assert.Equal(TokenError.None, tokens.TryRead(old, TokenPurpose.Unsubscribe, out _));
    }

    [Fact]
    public void AFeedbackTokenIsShortAndNeitherItsVoteNorItsReaderCanBeChanged()
    {
        var tokens = Tokens();
        var token = tokens.CreateFeedback(100_000, 2, "2605.12345", +1);
        Assert.True(token.Length <= 48, token);
        Assert.Equal(TokenError.None, tokens.TryRead(token, TokenPurpose.Feedback, out var claims));
        Assert.Equal((100_000L, 2L, "2605.12345", 1), (claims.SubscriberId, claims.ConsentVersion, claims.PaperId, claims.Vote));

        var dot = token.IndexOf('.');
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(0, dot));
        var mac = token[(dot + 1)..];
        payload[^11] = (byte)'-';   // the vote
        Assert.Equal(TokenError.BadSignature, tokens.TryRead(System.Buffers.Text.Base64Url.EncodeToString(payload) + "." + mac, TokenPurpose.Feedback, out _));
        payload[^11] = (byte)'+';
        payload[1] ^= 1;            // the reader
        Assert.Equal(TokenError.BadSignature, tokens.TryRead(System.Buffers.Text.Base64Url.EncodeToString(payload) + "." + mac, TokenPurpose.Feedback, out _));
        // Half a MAC is accepted only for the compact feedback payload, never for a text one.
        var unsubscribe = tokens.CreateUnsubscribe(7);
        var half = unsubscribe[..(unsubscribe.IndexOf('.') + 1 + 22)];
        Assert.Equal(TokenError.BadSignature, tokens.TryRead(half, TokenPurpose.Unsubscribe, out _));
        Assert.Equal(TokenError.WrongPurpose, tokens.TryRead(token, TokenPurpose.Unsubscribe, out _));
    }
}
