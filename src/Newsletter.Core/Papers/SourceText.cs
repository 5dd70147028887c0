using System.Text;

namespace Newsletter.Core.Papers;

/// <summary>
/// Removes what a reader cannot see from text that came from a paper source. A NUL cuts the
/// text part of a mail for some readers (and with it every later paper, the unsubscribe link and
/// the postal address); other control characters drive terminals and mail clients; direction
/// overrides make text read other than it is stored.
/// </summary>
public static class SourceText
{
    /// <summary>One line of text: line breaks and tabs become a space, invisible characters go.</summary>
    public static string Line(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) result.Append(' ');
            else if (!IsInvisible(c)) result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>An id or a link: invisible characters and line breaks go, outer blanks are trimmed.</summary>
    public static string Token(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!IsInvisible(c) && c is not ('\u2028' or '\u2029')) result.Append(c);
        }
        return result.ToString().Trim();
    }

    // C0 and C1 controls (tab and line feed among them), DEL, the Unicode direction marks,
    // embeddings, overrides and isolates, and the zero-width space, word joiner and byte-order
    // mark, which hide inside words (a look-alike title, a keyword that matches nothing). The
    // zero-width joiners stay: Persian, Indic scripts and emoji need them.
    private static bool IsInvisible(char c) =>
        char.IsControl(c) || c is '\u061C' or '\u200B' or '\u200E' or '\u200F' or '\u2060' or '\uFEFF'
            or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
