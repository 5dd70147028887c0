using System.Globalization;

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
        var mapped = new char[domain.Length];
        for (var i = 0; i < domain.Length; i++)
        {
            var c = domain[i];
            if (char.GetUnicodeCategory(c) == UnicodeCategory.Format) return null;
            mapped[i] = c switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '\u3002' or '\uFF61' => '.',
                _ => c,
            };
        }
        return new string(mapped).ToLowerInvariant();
    }

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
