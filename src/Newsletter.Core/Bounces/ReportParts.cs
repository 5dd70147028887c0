using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace Newsletter.Core.Bounces;

/// <summary>
/// Finding things in returned mail, which is outside input: a bounded walk of its MIME tree (not
/// into attached messages), addresses and status codes out of header values and text, and
/// diagnostic text cut to a safe length with control characters removed.
/// </summary>
internal static partial class ReportParts
{
    public const int MaxDiagnostic = 500;
    public const int MaxAddress = 254;
    private const int MaxParts = 64;
    private const int MaxDepth = 4;

    /// <summary>The first part of type <typeparamref name="T"/>, looking into nested multiparts but not into attached messages.</summary>
    public static T? Find<T>(MimeEntity? body) where T : MimeEntity
    {
        var seen = 0;
        return Find<T>(body, 0, ref seen);
    }

    private static T? Find<T>(MimeEntity? entity, int depth, ref int seen) where T : MimeEntity
    {
        if (entity is null || ++seen > MaxParts) return null;
        if (entity is T found) return found;
        if (entity is not Multipart multipart || depth >= MaxDepth) return null;
        foreach (var child in multipart)
        {
            if (Find<T>(child, depth + 1, ref seen) is { } inChild) return inChild;
        }
        return null;
    }

    /// <summary>The headers of the original message when it came back attached (whole, or its headers only).</summary>
    public static HeaderList? OriginalHeaders(MimeEntity? body) => Find<MessagePart>(body)?.Message?.Headers;

    /// <summary>Every <c>bounces+TOKEN@domain</c> address in the values given, each once, in order.</summary>
    public static IReadOnlyList<string> ReturnPathsIn(IEnumerable<string?> values)
    {
        var found = new List<string>();
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value)) continue;
            foreach (Match match in ReturnPathAddress().Matches(value.Length > 4096 ? value[..4096] : value))
            {
                if (!found.Contains(match.Value, StringComparer.OrdinalIgnoreCase)) found.Add(match.Value);
                if (found.Count >= 8) return found;
            }
        }
        return found;
    }

    /// <summary>The address of an RFC 3464 recipient field (<c>rfc822; user@example.com</c>), or of a plain one.</summary>
    public static string? AddressOf(string? field)
    {
        if (string.IsNullOrWhiteSpace(field)) return null;
        var value = field[(field.IndexOf(';') + 1)..].Trim().Trim('<', '>', ' ');
        return value.Length is > 0 and <= MaxAddress && value.Contains('@') ? value : null;
    }

    /// <summary>The first mailbox's address in a header such as To, or null.</summary>
    public static string? FirstMailbox(HeaderList? headers, HeaderId id)
    {
        var value = headers?[id];
        if (string.IsNullOrEmpty(value) || !InternetAddressList.TryParse(value, out var list)) return null;
        return list.Mailboxes.FirstOrDefault()?.Address is { Length: > 0 and <= MaxAddress } address && address.Contains('@') ? address : null;
    }

    /// <summary>An enhanced status code (RFC 3463), "5.1.1", at the start of <paramref name="text"/> or anywhere in it.</summary>
    public static string? StatusCodeIn(string? text, bool anywhere = false)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var match = (anywhere ? StatusAnywhere() : StatusAtStart()).Match(text);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>
    /// Soft for 4.x.x and for a full mailbox (x.2.2: it empties again), hard for the other 5.x.x,
    /// null for anything else (2.x.x is a success).
    /// </summary>
    public static BounceAction? ActionOf(string? statusCode) => statusCode switch
    {
        null => null,
        ['4', ..] => BounceAction.Soft,
        ['5', '.', '2', '.', '2'] => BounceAction.Soft,
        ['5', ..] => BounceAction.Hard,
        _ => null,
    };

    /// <summary>Outside text made safe to store and show: one line, printable, at most <see cref="MaxDiagnostic"/> characters.</summary>
    public static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var builder = new StringBuilder(Math.Min(text.Length, MaxDiagnostic));
        var space = false;
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, 4 * MaxDiagnostic)))
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c)) { space = builder.Length > 0; continue; }
            if (builder.Length + (space ? 2 : 1) > MaxDiagnostic) break;
            if (space) builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        return builder.Length == 0 ? null : builder.ToString();
    }

    [GeneratedRegex(@"bounces\+[a-z2-7]{20,40}@[a-z0-9.-]{1,253}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReturnPathAddress();

    [GeneratedRegex(@"^\s*([245]\.[0-9]{1,3}\.[0-9]{1,3})\b", RegexOptions.CultureInvariant)]
    private static partial Regex StatusAtStart();

    [GeneratedRegex(@"(?<![0-9.])([245]\.[0-9]{1,3}\.[0-9]{1,3})(?![0-9.]*[0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex StatusAnywhere();
}
