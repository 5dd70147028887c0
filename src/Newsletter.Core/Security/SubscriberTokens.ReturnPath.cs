using System.Security.Cryptography;

namespace Newsletter.Core.Security;

/// <summary>
/// The token in a message's return path, <c>bounces+TOKEN@domain</c>: it names the subscriber and
/// the digest (0 for a confirmation), so a bounce identifies its recipient even when the report
/// is mangled. It lives in an address, where some servers lower-case the local part, so it is
/// base32 in lower case (read in either case), and short: variable-length integers and an 80-bit
/// MAC. The MAC covers a purpose tag that is not sent, so no other token reads as this one.
/// </summary>
public sealed partial class SubscriberTokens
{
    private const byte ReturnPathTag = (byte)'R';
    private const int ReturnPathMac = 10;
    private const int LongestVarint = 10;
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>Characters of the longest return-path token (two ten-byte integers and the MAC).</summary>
    public const int MaxReturnPathLength = ((2 * LongestVarint + ReturnPathMac) * 8 + 4) / 5;

    public string CreateReturnPath(long subscriberId, long digestId)
    {
        Span<char> token = stackalloc char[MaxReturnPathLength];
        return new string(token[..WriteReturnPath(token, subscriberId, digestId)]);
    }

    /// <summary>The token's characters into <paramref name="destination"/> (at least <see cref="MaxReturnPathLength"/>); returns how many.</summary>
    public int WriteReturnPath(Span<char> destination, long subscriberId, long digestId) =>
        WriteAddressToken(ReturnPathTag, destination, subscriberId, digestId);

    /// <summary>Reads a return-path token; false for anything not made by <see cref="CreateReturnPath"/> with this key.</summary>
    public bool TryReadReturnPath(ReadOnlySpan<char> token, out long subscriberId, out long digestId) =>
        TryReadAddressToken(ReturnPathTag, token, out subscriberId, out digestId);

    // Shared by the tokens that live in an address (return path, reply address); the tag keeps them apart.
    private int WriteAddressToken(byte tag, Span<char> destination, long subscriberId, long digestId)
    {
        Span<byte> signed = stackalloc byte[1 + 2 * LongestVarint + FullMac];
        signed[0] = tag;
        var length = 1 + WriteVarint(signed[1..], subscriberId);
        length += WriteVarint(signed[length..], digestId);
        secrets.SigningKey.Mac(signed[..length], signed[length..]);
        return ToBase32(signed.Slice(1, length - 1 + ReturnPathMac), destination);
    }

    private bool TryReadAddressToken(byte tag, ReadOnlySpan<char> token, out long subscriberId, out long digestId)
    {
        subscriberId = digestId = 0;
        // The shortest: two one-byte integers and the MAC, twelve bytes in twenty characters.
        if (token.Length is < 20 or > MaxReturnPathLength) return false;
        Span<byte> signed = stackalloc byte[1 + MaxReturnPathLength * 5 / 8];
        signed[0] = tag;
        if (!TryFromBase32(token, signed[1..], out var decoded) || decoded <= ReturnPathMac) return false;

        var payload = signed[..(1 + decoded - ReturnPathMac)];
        Span<byte> mac = stackalloc byte[FullMac];
        secrets.SigningKey.Mac(payload, mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..ReturnPathMac], signed.Slice(payload.Length, ReturnPathMac))) return false;

        ReadOnlySpan<byte> rest = payload[1..];
        return TryReadVarint(ref rest, out subscriberId) && TryReadVarint(ref rest, out digestId) && rest.IsEmpty;
    }

    private static int ToBase32(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        int at = 0, bits = 0, buffer = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                destination[at++] = Base32[(buffer >> bits) & 31];
            }
        }
        if (bits > 0) destination[at++] = Base32[(buffer << (5 - bits)) & 31];
        return at;
    }

    private static bool TryFromBase32(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        int bits = 0, buffer = 0;
        foreach (var c in text)
        {
            var value = c switch
            {
                >= 'a' and <= 'z' => c - 'a',
                >= 'A' and <= 'Z' => c - 'A',
                >= '2' and <= '7' => c - '2' + 26,
                _ => -1,
            };
            if (value < 0) return false;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                destination[written++] = (byte)(buffer >> bits);
            }
        }
        // Left-over bits are the padding of the last character: zero in a token this class wrote.
        return (buffer & ((1 << bits) - 1)) == 0;
    }
}
