using System.Buffers.Text;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Newsletter.Core.Security;

namespace Newsletter.Core.Tests.Security;

public sealed class SubscriberTokensTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly SubscriberTokens _tokens;

    public SubscriberTokensTests() => _tokens = TokensWithKey(1);

    private SubscriberTokens TokensWithKey(byte fill)
    {
        var secrets = new AppSecrets();
        secrets.Set(new SigningKey(Enumerable.Repeat(fill, 32).ToArray()), new AdminKey(new byte[32]));
        return new SubscriberTokens(secrets, _clock);
    }

    private static string Payload(string token) => Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token.AsSpan(0, token.IndexOf('.'))));

    private static string WithPayload(string token, string payload) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(payload)) + token[token.IndexOf('.')..];

    [Fact]
    public void AnUnsubscribeTokenReadsBackAsItsSubscriber()
    {
        var token = _tokens.CreateUnsubscribe(42);

        Assert.Equal(TokenError.None, _tokens.TryRead(token, TokenPurpose.Unsubscribe, out var claims));
        Assert.Equal(new TokenClaims(TokenPurpose.Unsubscribe, 42, 0, null), claims);
    }

    [Fact]
    public void AConfirmTokenReadsBackWithItsConsentVersionAndExpiry()
    {
        var expires = Now.AddDays(7);
        var token = _tokens.CreateConfirm(7, 3, expires);

        Assert.Equal(TokenError.None, _tokens.TryRead(token, TokenPurpose.Confirm, out var claims));
        Assert.Equal(new TokenClaims(TokenPurpose.Confirm, 7, 3, expires), claims);
    }

    [Fact]
    public void TokensAreUrlSafeAsTheyAre()
    {
        var token = _tokens.CreateConfirm(long.MaxValue, long.MaxValue, Now.AddDays(90));
        Assert.Matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", token);
        Assert.Equal(token, Uri.EscapeDataString(token));
    }

    [Fact]
    public void AnUnsubscribeTokenNeverExpires()
    {
        var token = _tokens.CreateUnsubscribe(42);
        _clock.Advance(TimeSpan.FromDays(3650));
        Assert.Equal(TokenError.None, _tokens.TryRead(token, TokenPurpose.Unsubscribe, out _));
    }

    [Fact]
    public void AConfirmTokenExpiresAfterItsLastSecond()
    {
        var token = _tokens.CreateConfirm(7, 1, Now.AddHours(1));

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(TokenError.None, _tokens.TryRead(token, TokenPurpose.Confirm, out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenError.Expired, _tokens.TryRead(token, TokenPurpose.Confirm, out _));
    }

    [Fact]
    public void AConfirmTokenDoesNotUnsubscribeAndAnUnsubscribeTokenDoesNotConfirm()
    {
        Assert.Equal(TokenError.WrongPurpose, _tokens.TryRead(_tokens.CreateConfirm(7, 1, Now.AddDays(1)), TokenPurpose.Unsubscribe, out _));
        Assert.Equal(TokenError.WrongPurpose, _tokens.TryRead(_tokens.CreateUnsubscribe(7), TokenPurpose.Confirm, out _));
    }

    [Fact]
    public void OneSubscribersTokenEditedToAnothersIdIsRejected()
    {
        var mine = _tokens.CreateUnsubscribe(41);
        Assert.Equal("u:41", Payload(mine));

        var edited = WithPayload(mine, "u:42");

        Assert.Equal(TokenError.BadSignature, _tokens.TryRead(edited, TokenPurpose.Unsubscribe, out _));
    }

    [Fact]
    public void AConfirmTokenWithALaterExpiryWrittenInIsRejected()
    {
        var token = _tokens.CreateConfirm(7, 1, Now.AddHours(1));
        var extended = WithPayload(token, $"c:7:1:{Now.AddYears(1).ToUnixTimeSeconds()}");
        Assert.Equal(TokenError.BadSignature, _tokens.TryRead(extended, TokenPurpose.Confirm, out _));
    }

    [Fact]
    public void APurposeRewrittenInThePayloadIsRejected()
    {
        var confirm = _tokens.CreateConfirm(7, 1, Now.AddDays(1));
        Assert.Equal(TokenError.BadSignature, _tokens.TryRead(WithPayload(confirm, "u:7"), TokenPurpose.Unsubscribe, out _));
    }

    [Fact]
    public void AChangedMacIsRejected()
    {
        var token = _tokens.CreateUnsubscribe(42);
        var dot = token.IndexOf('.');
        // A character in the middle of the MAC: every one of its bits is part of the MAC.
        var at = dot + (token.Length - dot) / 2;
        var chars = token.ToCharArray();
        chars[at] = chars[at] == 'A' ? 'B' : 'A';

        Assert.Equal(TokenError.BadSignature, _tokens.TryRead(new string(chars), TokenPurpose.Unsubscribe, out _));
    }

    [Fact]
    public void AShortenedMacIsRejected()
    {
        var token = _tokens.CreateUnsubscribe(42);
        var dot = token.IndexOf('.');
        var mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        var shortened = token[..(dot + 1)] + Base64Url.EncodeToString(mac.AsSpan(0, mac.Length - 1));

        Assert.Equal(TokenError.BadSignature, _tokens.TryRead(shortened, TokenPurpose.Unsubscribe, out _));
    }

    [Fact]
    public void ATokenSignedWithAnotherKeyIsRejected()
    {
        var foreign = TokensWithKey(2).CreateUnsubscribe(42);
        Assert.Equal(TokenError.BadSignature, _tokens.TryRead(foreign, TokenPurpose.Unsubscribe, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot-at-all")]
    [InlineData(".startsWithDot")]
    [InlineData("endsWithDot.")]
    [InlineData("not base64!.abc")]
    [InlineData("dTo0Mg.not*base64")]
    [InlineData("dTo0Mg.abc.def")]
    [InlineData("dTo0Mg.%41%42")]
    public void MalformedTokensAreRejectedAsMalformed(string? token)
    {
        Assert.Equal(TokenError.Malformed, _tokens.TryRead(token, TokenPurpose.Unsubscribe, out var claims));
        Assert.Equal(default, claims);
    }

    [Fact]
    public void AnOverLongTokenIsRejectedBeforeAnyWork()
    {
        var valid = _tokens.CreateUnsubscribe(42);
        var padded = valid[..valid.IndexOf('.')] + new string('A', 300) + valid[valid.IndexOf('.')..];
        Assert.Equal(TokenError.Malformed, _tokens.TryRead(padded, TokenPurpose.Unsubscribe, out _));
        Assert.Equal(TokenError.Malformed, _tokens.TryRead(new string('A', 10_000) + ".AAAA", TokenPurpose.Unsubscribe, out _));
    }

    [Theory]
    [InlineData("x:42")]
    [InlineData("u")]
    [InlineData("u:")]
    [InlineData("u:-42")]
    [InlineData("u: 42")]
    [InlineData("u:42:1")]
    [InlineData("u:99999999999999999999")]
    [InlineData("c:7:1")]
    [InlineData("c:7:1:soon")]
    public void ASignedPayloadOfNoKnownShapeIsMalformed(string payload)
    {
        // Signed with the real key, so only the payload's shape is wrong: what a key holder's bug would make.
        var signed = SignedWithTheSameKey(payload);
        Assert.Equal(TokenError.Malformed, _tokens.TryRead(signed, TokenPurpose.Unsubscribe, out _));
    }

    private static string SignedWithTheSameKey(string payload)
    {
        var bytes = Encoding.ASCII.GetBytes(payload);
        var mac = new SigningKey(Enumerable.Repeat((byte)1, 32).ToArray()).Mac(bytes);
        return Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(mac);
    }
}
