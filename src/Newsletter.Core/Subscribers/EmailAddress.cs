using System.Globalization;
using System.Text;

namespace Newsletter.Core.Subscribers;

/// <summary>
/// A bare mailbox (<c>local@domain</c>) fit to put in a To header: no display name, no
/// whitespace or control characters (so no header injection), one '@', at most 254 characters.
/// </summary>
public static class EmailAddress
{
    public const int MaxLength = 254;
    private const string LocalPartSpecials = "!#$%&'*+-/=?^_`{|}~.";
    private static readonly IdnMapping Idn = new();

    /// <summary>Returns the normalised address (domain in lower-case ASCII), or null with the reason.</summary>
    public static string? Normalize(string? input, out string error)
    {
        error = "";
        var value = input?.Trim(' ');
        if (string.IsNullOrEmpty(value)) return Fail("An email address is required.", out error);
        if (value.Length > MaxLength) return Fail($"The address is longer than {MaxLength} characters.", out error);
        if (value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            return Fail("The address must not contain spaces, line breaks or control characters.", out error);
        if (value.Contains('<') || value.Contains('>') || value.Contains('"'))
            return Fail("Give the bare address (name@example.org), without a display name.", out error);

        var at = value.IndexOf('@');
        if (at < 0 || at != value.LastIndexOf('@'))
            return Fail("The address must contain exactly one '@'.", out error);

        var local = value[..at];
        var domain = value[(at + 1)..];
        if (!IsLocalPart(local)) return Fail("The part before '@' is not valid.", out error);

        if (MapDomain(domain) is not { } mapped) return Fail("The domain contains invisible characters.", out error);
        string asciiDomain;
        try
        {
            asciiDomain = Idn.GetAscii(mapped);
        }
        catch (ArgumentException)
        {
            return Fail("The domain is not valid.", out error);
        }
        if (!IsDomain(asciiDomain)) return Fail("The domain is not valid.", out error);

        var normalized = local + "@" + asciiDomain;
        return normalized.Length > MaxLength
            ? Fail($"The address is longer than {MaxLength} characters.", out error)
            : normalized;
    }

    private static string? Fail(string message, out string error)
    {
        error = message;
        return null;
    }

    /// <summary>
    /// The part of IDNA's mapping (UTS #46) that readers meet, done before encoding: the service
    /// runs without ICU (invariant globalization), and IdnMapping then encodes what it is given as
    /// it is, so "BÜCHER.example" or an input method's full-width "ｅｘａｍｐｌｅ．org" became
    /// domains that do not exist. Lower case; full-width ASCII and the ideographic full stops to
    /// ASCII; invisible format characters (a zero-width space, a soft hyphen, bidi marks) refused,
    /// since an address that looks right would go to another domain. Null when one is there.
    /// </summary>
    private static string? MapDomain(string domain)
    {
        var mapped = new StringBuilder(domain.Length);
        // By code point: tag characters (U+E0020 and on) are invisible too, and lie past U+FFFF.
        foreach (var rune in domain.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format || IsIgnorable(rune.Value)) return null;
            mapped.Append(rune.Value switch
            {
                >= 0xFF01 and <= 0xFF5E => new Rune(rune.Value - 0xFEE0),
                0x3002 or 0xFF61 => new Rune('.'),
                _ => rune,
            });
        }
        return mapped.ToString().ToLowerInvariant();
    }

    // Unicode's default-ignorable code points that are not format characters: variation selectors,
    // the combining grapheme joiner, Hangul fillers, Mongolian selectors. They draw nothing.
    private static bool IsIgnorable(int c) =>
        c is 0x034F or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or (>= 0x180B and <= 0x180F) or 0x3164
            or (>= 0xFE00 and <= 0xFE0F) or 0xFFA0 or (>= 0xE0100 and <= 0xE01EF);

    private static bool IsLocalPart(string local) =>
        local.Length is > 0 and <= 64
        && local[0] != '.' && local[^1] != '.' && !local.Contains("..")
        && local.All(c => char.IsAsciiLetterOrDigit(c) || LocalPartSpecials.Contains(c));

    private static bool IsDomain(string domain)
    {
        var labels = domain.Split('.');
        // A top-level domain is never all digits (RFC 3696, 2): "example.123" is a typing slip.
        return domain.Length <= 253 && labels.Length >= 2 && labels[^1].Length >= 2 && !labels[^1].All(char.IsAsciiDigit)
               && labels.All(l => l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-'
                                  && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }
}
