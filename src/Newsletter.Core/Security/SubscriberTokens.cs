using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Newsletter.Core.Security;

public enum TokenPurpose { Confirm, Unsubscribe }

/// <summary>What a valid token says: whose it is, for which subscription, until when.</summary>
public readonly record struct TokenClaims(TokenPurpose Purpose, long SubscriberId, long ConsentVersion, DateTimeOffset? ExpiresAt);

public enum TokenError { None, Malformed, BadSignature, WrongPurpose, Expired }

/// <summary>
/// Links in mail carry HMAC-SHA256 signed tokens: <c>base64url(payload).base64url(mac)</c>. The
/// payload names the purpose and the subscriber, so a confirm token cannot unsubscribe and no
/// token can be edited into another subscriber's without the key. Unsubscribe tokens never expire.
/// </summary>
public sealed class SubscriberTokens(AppSecrets secrets, TimeProvider clock)
{
    private const char ConfirmTag = 'c';
    private const char UnsubscribeTag = 'u';

    public string CreateConfirm(long subscriberId, long consentVersion, DateTimeOffset expiresAt) =>
        Sign(string.Create(CultureInfo.InvariantCulture,
            $"{ConfirmTag}:{subscriberId}:{consentVersion}:{expiresAt.ToUnixTimeSeconds()}"));

    public string CreateUnsubscribe(long subscriberId) =>
        Sign(string.Create(CultureInfo.InvariantCulture, $"{UnsubscribeTag}:{subscriberId}"));

    public TokenError TryRead(string? token, TokenPurpose expected, out TokenClaims claims)
    {
        claims = default;
        if (string.IsNullOrEmpty(token) || token.Length > 256) return TokenError.Malformed;
        var dot = token.IndexOf('.');
        if (dot <= 0 || dot == token.Length - 1) return TokenError.Malformed;

        byte[] payload, mac;
        try
        {
            payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return TokenError.Malformed;
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, secrets.SigningKey.Mac(payload))) return TokenError.BadSignature;
        if (!TryParse(Encoding.ASCII.GetString(payload), out claims)) return TokenError.Malformed;
        if (claims.Purpose != expected) return TokenError.WrongPurpose;
        if (claims.ExpiresAt is { } expires && clock.GetUtcNow() > expires) return TokenError.Expired;
        return TokenError.None;
    }

    private string Sign(string payload)
    {
        var bytes = Encoding.ASCII.GetBytes(payload);
        return Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(secrets.SigningKey.Mac(bytes));
    }

    private static bool TryParse(string payload, out TokenClaims claims)
    {
        claims = default;
        var parts = payload.Split(':');
        var inv = CultureInfo.InvariantCulture;
        switch (parts)
        {
            case [['u'], var id] when long.TryParse(id, NumberStyles.None, inv, out var sid):
                claims = new TokenClaims(TokenPurpose.Unsubscribe, sid, 0, null);
                return true;
            case [['c'], var id, var version, var expires]
                when long.TryParse(id, NumberStyles.None, inv, out var sid)
                     && long.TryParse(version, NumberStyles.None, inv, out var v)
                     && long.TryParse(expires, NumberStyles.None, inv, out var e):
                claims = new TokenClaims(TokenPurpose.Confirm, sid, v, DateTimeOffset.FromUnixTimeSeconds(e));
                return true;
            default:
                return false;
        }
    }
}

/// <summary>The HMAC key behind every link; configured, or generated once and kept in the database.</summary>
public sealed class SigningKey(byte[] key)
{
    public byte[] Mac(ReadOnlySpan<byte> payload) => HMACSHA256.HashData(key, payload);
}
