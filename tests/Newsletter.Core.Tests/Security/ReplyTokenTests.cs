using Microsoft.Extensions.Time.Testing;
using Newsletter.Core.Security;

namespace Newsletter.Core.Tests.Security;

/// <summary>The token in a reply address: reads back in either case, and is never taken for a return path or the other way round.</summary>
public sealed class ReplyTokenTests
{
    private static SubscriberTokens TokensWithKey(byte fill)
    {
        var secrets = new AppSecrets();
        secrets.Set(new SigningKey(Enumerable.Repeat(fill, 32).ToArray()), new AdminKey(new byte[32]));
        return new SubscriberTokens(secrets, new FakeTimeProvider());
    }

    private readonly SubscriberTokens _tokens = TokensWithKey(1);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(123_456, 789)]
    public void AReplyTokenReadsBackAsItsSubscriberAndDigestInEitherCase(long subscriber, long digest)
    {
        var token = _tokens.CreateReply(subscriber, digest);

        Assert.Matches("^[a-z2-7]{20,32}$", token);
        Assert.True(_tokens.TryReadReply(token.ToUpperInvariant(), out var s, out var d));
        Assert.Equal((subscriber, digest), (s, d));
    }

    [Fact]
    public void AReplyTokenIsNoReturnPathAndAReturnPathNoReplyToken()
    {
        Assert.False(_tokens.TryReadReturnPath(_tokens.CreateReply(42, 7), out _, out _));
        Assert.False(_tokens.TryReadReply(_tokens.CreateReturnPath(42, 7), out _, out _));
        Assert.False(TokensWithKey(2).TryReadReply(_tokens.CreateReply(42, 7), out _, out _));
    }
}
