using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Newsletter.Core.Security;

public enum TokenPurpose { Confirm, Unsubscribe, Preferences, Feedback }

/// <summary>
/// What a valid token says: whose it is, for which subscription (<paramref name="ConsentVersion"/>:
/// a new subscription raises it, voiding the links of the one before), until when; a feedback
/// token also names the paper and the vote (+1 or -1).
/// </summary>
public readonly record struct TokenClaims(
    TokenPurpose Purpose, long SubscriberId, long ConsentVersion, DateTimeOffset? ExpiresAt, string? PaperId = null, int Vote = 0);

public enum TokenError { None, Malformed, BadSignature, WrongPurpose, Expired }

/// <summary>
/// Links in mail carry HMAC-SHA256 signed tokens: <c>base64url(payload).base64url(mac)</c>. The
/// payload names the purpose and the subscriber, so a confirm token cannot unsubscribe and no
/// token can be edited into another subscriber's without the key. Unsubscribe tokens never expire.
/// Feedback tokens (twenty in every digest) are compact: a binary payload and a 128-bit MAC.
/// </summary>
public sealed partial class SubscriberTokens(AppSecrets secrets, TimeProvider clock)
{
    private const char ConfirmTag = 'c';
    private const char UnsubscribeTag = 'u';
    private const char PreferencesTag = 'p';
    private const char FeedbackTag = 'f';
    private const byte CompactFeedback = (byte)'F';

    // HMAC-SHA256 in full, and truncated to 128 bits (RFC 2104 allows it; forging still means
    // guessing 2^128 values) where a digest carries twenty links and every byte is sent 100,000 times.
    private const int FullMac = 32;
    private const int ShortMac = 16;

    // Longest token payload written: a feedback token with a 64-character paper id and two longs.
    private const int MaxPayload = 2 + 20 + 1 + 20 + 1 + 64 + 2;

    /// <summary>Characters of the longest token (base64url payload, '.', base64url MAC).</summary>
    public const int MaxLength = (MaxPayload + 2) / 3 * 4 + 1 + 43;

    public string CreateConfirm(long subscriberId, long consentVersion, DateTimeOffset expiresAt) =>
        Sign(string.Create(CultureInfo.InvariantCulture,
            $"{ConfirmTag}:{subscriberId}:{consentVersion}:{expiresAt.ToUnixTimeSeconds()}"));

    public string CreateUnsubscribe(long subscriberId) => AsString(subscriberId, 0, null, 0, UnsubscribeTag);

    /// <summary>The reader's own preferences link: never expires, void after they leave and come back.</summary>
    public string CreatePreferences(long subscriberId, long consentVersion) => AsString(subscriberId, consentVersion, null, 0, PreferencesTag);

    /// <summary>"More like this" (+1) or "Less like this" (-1) on one paper, for one reader.</summary>
    public string CreateFeedback(long subscriberId, long consentVersion, string paperId, int vote) =>
        AsString(subscriberId, consentVersion, paperId, vote, FeedbackTag);

    /// <summary>
    /// The token's characters as ASCII bytes into <paramref name="destination"/> (at least
    /// <see cref="MaxLength"/> long); returns how many. What the Create methods return, without
    /// allocating: a digest signs some twenty links for each of its readers.
    /// </summary>
    public int WriteUnsubscribe(Span<byte> destination, long subscriberId) =>
        Write(destination, subscriberId, 0, null, 0, UnsubscribeTag);

    public int WritePreferences(Span<byte> destination, long subscriberId, long consentVersion) =>
        Write(destination, subscriberId, consentVersion, null, 0, PreferencesTag);

    public int WriteFeedback(Span<byte> destination, long subscriberId, long consentVersion, string paperId, int vote) =>
        Write(destination, subscriberId, consentVersion, paperId, vote, FeedbackTag);

    private string AsString(long subscriberId, long consentVersion, string? paperId, int vote, char tag)
    {
        Span<byte> token = stackalloc byte[MaxLength];
        return Encoding.ASCII.GetString(token[..Write(token, subscriberId, consentVersion, paperId, vote, tag)]);
    }

    // The payloads: "u:ID", "p:ID:VERSION" as text; a feedback token, twenty of which go in each
    // digest, is compact: 'F', ID and VERSION as variable-length integers, '+' or '-', the paper id.
    private int Write(Span<byte> destination, long subscriberId, long consentVersion, string? paperId, int vote, char tag)
    {
        if (paperId is { Length: > 64 }) throw new ArgumentException("A paper id is at most 64 characters.", nameof(paperId));
        Span<byte> payload = stackalloc byte[MaxPayload];
        if (tag == FeedbackTag)
        {
            payload[0] = CompactFeedback;
            var at = 1 + WriteVarint(payload[1..], subscriberId);
            at += WriteVarint(payload[at..], consentVersion);
            payload[at++] = (byte)(vote > 0 ? '+' : '-');
            at += Encoding.ASCII.GetBytes(paperId!, payload[at..]);
            return WriteSigned(payload[..at], destination, ShortMac);
        }
        payload[0] = (byte)tag;
        payload[1] = (byte)':';
        Utf8Formatter.TryFormat(subscriberId, payload[2..], out var length);
        length += 2;
        if (tag != UnsubscribeTag)
        {
            payload[length++] = (byte)':';
            Utf8Formatter.TryFormat(consentVersion, payload[length..], out var written);
            length += written;
        }
        return WriteSigned(payload[..length], destination, FullMac);
    }

    private static int WriteVarint(Span<byte> destination, long value)
    {
        var at = 0;
        var rest = (ulong)value;
        while (rest >= 0x80)
        {
            destination[at++] = (byte)(rest | 0x80);
            rest >>= 7;
        }
        destination[at++] = (byte)rest;
        return at;
    }

    private static bool TryReadVarint(ref ReadOnlySpan<byte> source, out long value)
    {
        value = 0;
        for (var shift = 0; shift < 63 && source.Length > 0; shift += 7)
        {
            var b = source[0];
            source = source[1..];
            value |= (long)(b & 0x7f) << shift;
            if (b < 0x80) return value >= 0;
        }
        return false;
    }

    private static bool TryParseFeedback(ReadOnlySpan<byte> payload, out TokenClaims claims)
    {
        claims = default;
        var rest = payload[1..];
        if (!TryReadVarint(ref rest, out var id) || !TryReadVarint(ref rest, out var version) || rest.Length is < 2 or > 65) return false;
        if (rest[0] is not ((byte)'+' or (byte)'-') || !Ascii.IsValid(rest[1..])) return false;
        claims = new TokenClaims(TokenPurpose.Feedback, id, version, null, Encoding.ASCII.GetString(rest[1..]), rest[0] == (byte)'+' ? 1 : -1);
        return true;
    }

    private int WriteSigned(ReadOnlySpan<byte> payload, Span<byte> destination, int macLength)
    {
        Base64Url.EncodeToUtf8(payload, destination, out _, out var length);
        destination[length++] = (byte)'.';
        Span<byte> mac = stackalloc byte[FullMac];
        secrets.SigningKey.Mac(payload, mac);
        Base64Url.EncodeToUtf8(mac[..macLength], destination[length..], out _, out var written);
        return length + written;
    }

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

        // A compact (feedback) payload carries the first half of the MAC, a text payload all of it.
        var compact = payload.Length > 0 && payload[0] == CompactFeedback;
        var expectedMac = secrets.SigningKey.Mac(payload).AsSpan(0, compact ? ShortMac : FullMac);
        if (!CryptographicOperations.FixedTimeEquals(mac, expectedMac)) return TokenError.BadSignature;
        if (!(compact ? TryParseFeedback(payload, out claims) : TryParse(Encoding.ASCII.GetString(payload), out claims))) return TokenError.Malformed;
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
            case [['p'], var id, var version]
                when long.TryParse(id, NumberStyles.None, inv, out var sid) && long.TryParse(version, NumberStyles.None, inv, out var v):
                claims = new TokenClaims(TokenPurpose.Preferences, sid, v, null);
                return true;
            default:
                return false;
        }
    }
}

/// <summary>The HMAC key behind every link; configured, or generated once and kept in the database.</summary>
public sealed class SigningKey(byte[] key)
{
    // A digest signs some twenty links per reader: each sending thread keeps its keyed HMAC and
    // resets it, instead of deriving the key's inner and outer pads again for every link.
    [ThreadStatic] private static (SigningKey Owner, IncrementalHash Hmac)? t_hmac;

    public byte[] Mac(ReadOnlySpan<byte> payload)
    {
        var mac = new byte[32];
        Mac(payload, mac);
        return mac;
    }

    /// <summary>The 32-byte MAC of <paramref name="payload"/> into <paramref name="destination"/>.</summary>
    public void Mac(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        if (t_hmac is not { } cached || !ReferenceEquals(cached.Owner, this))
        {
            t_hmac?.Hmac.Dispose();
            cached = (this, IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
            t_hmac = cached;
        }
        cached.Hmac.AppendData(payload);
        cached.Hmac.TryGetHashAndReset(destination, out _);
    }
}
