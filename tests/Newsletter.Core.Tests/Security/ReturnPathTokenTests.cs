using Microsoft.Extensions.Time.Testing;
using Newsletter.Core.Security;

namespace Newsletter.Core.Tests.Security;

/// <summary>The token in a return path: short, lower-case safe, and bound to the key and to its subscriber and digest.</summary>
public sealed class ReturnPathTokenTests
{
    private static SubscriberTokens TokensWithKey(byte fill)
    {
        var secrets = new AppSecrets();
        secrets.Set(new SigningKey(Enumerable.Repeat(fill, 32).ToArray()), new AdminKey(new byte[32]));
        return new SubscriberTokens(secrets, new FakeTimeProvider());
    }

    private readonly SubscriberTokens _tokens = TokensWithKey(1);

    [Theory]
    [InlineData(1, 0)]
    [InlineData(123_456, 789)]
    [InlineData(long.MaxValue, long.MaxValue)]
    public void ATokenReadsBackAsItsSubscriberAndDigestInEitherCase(long subscriber, long digest)
    {
        var token = _tokens.CreateReturnPath(subscriber, digest);

        Assert.Matches("^[a-z2-7]+$", token);
        Assert.True(token.Length <= SubscriberTokens.MaxReturnPathLength);
        Assert.True(_tokens.TryReadReturnPath(token, out var s, out var d));
        Assert.Equal((subscriber, digest), (s, d));
        Assert.True(_tokens.TryReadReturnPath(token.ToUpperInvariant(), out s, out d));
        Assert.Equal((subscriber, digest), (s, d));
    }

    [Fact]
    public void ATypicalTokenFitsEasilyInALocalPart() =>
        Assert.True(_tokens.CreateReturnPath(1_000_000, 5_000).Length <= 26);

    [Fact]
    public void AChangedCharacterAnotherKeyOrAnotherTokenKindIsRefused()
    {
        var token = _tokens.CreateReturnPath(42, 7);
        var changed = token[..3] + (token[3] == 'a' ? 'b' : 'a') + token[4..];

        Assert.False(_tokens.TryReadReturnPath(changed, out _, out _));
        Assert.False(TokensWithKey(2).TryReadReturnPath(token, out _, out _));
        Assert.False(_tokens.TryReadReturnPath(token.AsSpan(0, token.Length - 1), out _, out _));
        Assert.False(_tokens.TryReadReturnPath(token + "a", out _, out _));
        Assert.False(_tokens.TryReadReturnPath(token.Replace(token[0], '1'), out _, out _));
        Assert.False(_tokens.TryReadReturnPath(new string('a', 500), out _, out _));
        // Another token's signature does not make a return path.
        Assert.False(_tokens.TryReadReturnPath(_tokens.CreateUnsubscribe(42).ToLowerInvariant(), out _, out _));
    }

    [Fact]
    public void EachSubscriberAndDigestHasItsOwnToken()
    {
        var tokens = new[] { _tokens.CreateReturnPath(1, 0), _tokens.CreateReturnPath(2, 0), _tokens.CreateReturnPath(1, 1) };
        Assert.Equal(3, tokens.Distinct().Count());
    }
}
