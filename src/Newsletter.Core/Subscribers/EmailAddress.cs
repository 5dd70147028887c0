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

        string asciiDomain;
        try
        {
            asciiDomain = Idn.GetAscii(domain).ToLowerInvariant();
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

    private static bool IsLocalPart(string local) =>
        local.Length is > 0 and <= 64
        && local[0] != '.' && local[^1] != '.' && !local.Contains("..")
        && local.All(c => char.IsAsciiLetterOrDigit(c) || LocalPartSpecials.Contains(c));

    private static bool IsDomain(string domain)
    {
        var labels = domain.Split('.');
        return domain.Length <= 253 && labels.Length >= 2 && labels[^1].Length >= 2
               && labels.All(l => l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-'
                                  && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }
}
