using System.Text.RegularExpressions;
using MimeKit;

namespace Newsletter.Core.Replies;

/// <summary>
/// The lines a reader wrote in a reply: the text part (an HTML-only reply converted to text), cut
/// where the quoted digest or a signature begins, as the common mail clients mark them.
/// </summary>
public static partial class WrittenLines
{
    /// <summary>Enough for any list of commands; the rest of a long reply is not read.</summary>
    public const int MaxLines = 50;

    public static IReadOnlyList<string> Of(MimeMessage message)
    {
        var text = message.TextBody;
        if (string.IsNullOrWhiteSpace(text) && message.HtmlBody is { } html)
            text = HtmlText.Convert(html);
        return Cut(text ?? "");
    }

    /// <summary>The non-empty, trimmed lines above the first quote or signature marker.</summary>
    public static IReadOnlyList<string> Cut(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var written = new List<string>();
        for (var i = 0; i < lines.Length && written.Count < MaxLines; i++)
        {
            var line = lines[i];
            if (EndsWhatWasWritten(line, i + 1 < lines.Length ? lines[i + 1] : null)) break;
            var trimmed = line.Trim();
            if (trimmed.Length > 0) written.Add(trimmed);
        }
        return written;
    }

    private static bool EndsWhatWasWritten(string line, string? next)
    {
        // The signature delimiter is "-- " exactly; some clients drop the trailing space.
        if (line is "-- " or "--") return true;
        var trimmed = line.Trim();
        if (trimmed.StartsWith('>')) return true;
        if (OriginalMessage().IsMatch(trimmed) || MobileSignature().IsMatch(trimmed)) return true;
        // "On Tue, 3 Nov 2026 at 08:00, Daily Papers <papers@example.org> wrote:", also wrapped over two lines.
        if (OnWrote().IsMatch(trimmed)) return true;
        if (trimmed.StartsWith("On ", StringComparison.OrdinalIgnoreCase) && next is not null && OnWrote().IsMatch(trimmed + " " + next.Trim())) return true;
        // Outlook's header block of the quoted message: "From: ..." followed by "Sent:" or "Date:".
        if (HeaderLine().IsMatch(trimmed) && next is not null && QuotedHeaderNext().IsMatch(next.Trim())) return true;
        return false;
    }

    [GeneratedRegex(@"^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Forwarded message)\s*-{2,}$", RegexOptions.IgnoreCase)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex(@"^(Sent from my \w+|Sent from (Mail|Outlook|Yahoo Mail)( for \w+)?|Get Outlook for \w+|Von meinem \w+ gesendet|Envoyé de mon \w+)\b", RegexOptions.IgnoreCase)]
    private static partial Regex MobileSignature();

    [GeneratedRegex(@"^(On|Am|Le|El|Il)\s.+\s(wrote|schrieb|a écrit|escribió|ha scritto)\s?:$", RegexOptions.IgnoreCase)]
    private static partial Regex OnWrote();

    [GeneratedRegex(@"^\*?(From|Von|De)\s?:", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"^\*?(Sent|Date|Gesendet|Envoyé|To)\s?:", RegexOptions.IgnoreCase)]
    private static partial Regex QuotedHeaderNext();
}
