using System.Buffers;
using System.Globalization;
using System.Text;
using Lucene.Net.Analysis.Miscellaneous;

namespace Newsletter.Core.Ranking;

/// <summary>
/// Splits text into lower-case words: runs of letters and digits, everything else (punctuation,
/// hyphens, spaces) separates. Topics and paper texts go through the same splitting, so "GAN"
/// matches "GAN," and "gan" never matches inside "organ".
/// </summary>
internal static class Words
{
    // Hostile sources send megabyte abstracts; the work per paper must stay bounded. Real
    // abstracts are under 3,000 characters and titles under 300.
    public const int MaxTitleLength = 1_000;
    public const int MaxAbstractLength = 20_000;
    public const int MaxKeywords = 32;
    public const int MaxKeywordLength = 100;

    public static List<string> Of(string? text, int maxLength)
    {
        var words = new List<string>();
        if (string.IsNullOrEmpty(text)) return words;
        if (text.Length > maxLength) text = text[..maxLength];
        // A topic typed as "café" and an abstract holding "cafe\u0301" (or "cafe") are the same
        // word to a reader.
        text = Fold(text);
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (IsWordChar(c))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0) words.Add(current.ToString());
        return words;
    }

    /// <summary>The keywords a ranking looks at: at most <see cref="MaxKeywords"/>, each cut to <see cref="MaxKeywordLength"/>.</summary>
    public static IEnumerable<string> Keywords(IReadOnlyList<string>? keywords)
    {
        if (keywords is null) yield break;
        for (var i = 0; i < keywords.Count && i < MaxKeywords; i++)
        {
            if (keywords[i] is { Length: > 0 } keyword) yield return keyword;
        }
    }

    // Latin letters with accents, ligatures and the like (Latin-1 Supplement, Extended-A and -B,
    // IPA, Extended Additional), combining marks, and full-width forms: what the folding changes.
    private static readonly SearchValues<char> Foldable = SearchValues.Create(
        [.. Range('\u00C0', '\u036F'), .. Range('\u1E00', '\u1EFF'), .. Range('\uFF01', '\uFF5E')]);

    private static IEnumerable<char> Range(char first, char last) =>
        Enumerable.Range(first, last - first + 1).Select(c => (char)c);

    // Surrogates are letters outside the basic plane (most CJK extensions, mathematical letters);
    // combining marks belong to the letter before them.
    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c)
            is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    /// <summary>
    /// Accents folded away (Lucene's ASCII folding: "é" and "ß" become "e" and "ss", full-width
    /// letters plain ones) and combining marks after a Latin letter dropped, so that the composed and
    /// the decomposed spelling of a Latin word are one. Unicode normalisation cannot do it here: the
    /// service runs without ICU (invariant globalization), where string.Normalize returns its input
    /// unchanged. Other scripts (Cyrillic, Greek, Indic, Hebrew) keep their letters and marks as they
    /// came: a mark there can tell two words apart, and a decomposed spelling matches only itself.
    /// </summary>
    private static string Fold(string text)
    {
        // Most abstracts hold no letter to fold (a Greek symbol, a dash): Lucene's folding, one
        // method switching over ~1,400 characters, is then not run (nor compiled, in a process
        // whose papers never need it).
        if (text.AsSpan().IndexOfAny(Foldable) < 0) return text;
        var folded = new char[text.Length * 4];
        var length = ASCIIFoldingFilter.FoldToASCII(text.ToCharArray(), 0, folded, 0, text.Length);
        var kept = 0;
        for (var i = 0; i < length; i++)
        {
            var afterLatin = kept > 0 && char.IsAscii(folded[kept - 1]);
            if (!afterLatin || CharUnicodeInfo.GetUnicodeCategory(folded[i]) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark))
                folded[kept++] = folded[i];
        }
        return new string(folded, 0, kept);
    }
}
