using System.Text.Json;
using System.Text.RegularExpressions;

namespace Newsletter.Core.Papers;

/// <summary>
/// Turns Daily Papers API items into <see cref="Paper"/>s; items without an id or title are
/// reported, not kept. Every text taken in passes <see cref="SourceText"/>: this is the one way in
/// for seeds, uploads and fetches.
/// </summary>
public static partial class PaperMapper
{
    public sealed record Result(IReadOnlyList<Paper> Papers, IReadOnlyList<string> Skipped);

    /// <param name="listDate">The day the list was asked for; used when an item does not say its day.</param>
    public static Result Map(IEnumerable<DailyPaperItem?> items, DateOnly? listDate = null)
    {
        var papers = new Dictionary<string, Paper>(StringComparer.Ordinal);
        var skipped = new List<string>();
        var index = 0;
        foreach (var item in items)
        {
            var paper = item?.Paper;
            var id = NormalizeId(paper?.Id);
            var title = Clean(paper?.Title ?? item?.Title);
            if (id is null || title is null)
            {
                skipped.Add($"item {index}: {(item is null ? "not an item of the Daily Papers shape (a field of the wrong type)" : id is null ? "no valid arXiv id" : "no title")}");
            }
            else
            {
                papers[id] = ToPaper(id, title, item!, paper!, listDate);
            }
            index++;
        }
        return new Result(papers.Values.ToList(), skipped);
    }

    private static Paper ToPaper(string id, string title, DailyPaperItem item, DailyPaper paper, DateOnly? listDate)
    {
        var authors = paper.Authors ?? [];
        // A collaboration paper names thousands; the mail shows three and the count.
        var named = authors.Where(a => !a.Hidden).Select(a => Clean(a.Name)).OfType<string>()
            .Take(MaxAuthorsKept).Select(name => Shorten(name, MaxNameLength));
        var organization = paper.Organization ?? item.Organization;
        var dailyDate = paper.SubmittedOnDailyAt is { } at ? DateOnly.FromDateTime(at.UtcDateTime) : listDate;
        return new Paper
        {
            Id = id,
            Title = Shorten(title, MaxTitleLength),
            Summary = Shorten(Clean(paper.Summary ?? item.Summary) ?? "", MaxSummaryLength),
            AiSummary = Clean(paper.AiSummary) is { } aiSummary ? Shorten(aiSummary, MaxAiSummaryLength) : null,
            Authors = string.Join(", ", named),
            AuthorCount = authors.Count,
            Organization = (Clean(organization?.Fullname) ?? Clean(organization?.Name)) is { } org ? Shorten(org, MaxNameLength) : null,
            Upvotes = Math.Max(0, paper.Upvotes ?? 0),
            NumComments = Math.Max(0, item.NumComments ?? 0),
            PublishedAt = paper.PublishedAt,
            SubmittedOnDailyAt = paper.SubmittedOnDailyAt,
            DailyDate = dailyDate,
            GithubRepo = HttpUrlOrNull(paper.GithubRepo),
            GithubStars = paper.GithubStars,
            ProjectPage = HttpUrlOrNull(paper.ProjectPage),
            Thumbnail = HttpUrlOrNull(item.Thumbnail),
            AiKeywords = Paper.KeywordsJson(Keywords(paper.AiKeywords)),
        };
    }

    // Every digest, page and feed carries titles and summaries: a hostile 100 KB title made each
    // mail 339 KB, past the 102 KB where Gmail cuts a message (and with it the unsubscribe link
    // and postal address at its foot). arXiv's own limits are far below these: titles run to ~250
    // characters, abstracts to 1,920; the API's one-line AI summaries stay under ~300, and the mail
    // shows them whole. Author and organisation names are cut too, and only the first hundred
    // authors are kept (the count stays).
    public const int MaxTitleLength = 500;
    public const int MaxSummaryLength = 5_000;
    public const int MaxAiSummaryLength = 600;
    public const int MaxNameLength = 200;
    public const int MaxAuthorsKept = 100;

    // Keywords feed topic matching and ranking for every reader: a hostile list is cut to a size
    // whose cost is known; non-strings are skipped, not fatal.
    public const int MaxKeywords = 32;
    public const int MaxKeywordLength = 100;

    private static List<string> Keywords(JsonElement? json)
    {
        var keywords = new List<string>();
        if (json is not { ValueKind: JsonValueKind.Array } array) return keywords;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var element in array.EnumerateArray())
        {
            if (keywords.Count == MaxKeywords) break;
            if (element.ValueKind != JsonValueKind.String) continue;
            var keyword = Clean(element.GetString());
            if (keyword is null) continue;
            keyword = Shorten(keyword, MaxKeywordLength);
            if (seen.Add(keyword)) keywords.Add(keyword);
        }
        return keywords;
    }

    // Cut on a character boundary: half a surrogate pair would be invalid text in a mail.
    private static string Shorten(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = char.IsLowSurrogate(text[max]) ? max - 1 : max;
        return text[..cut].TrimEnd();
    }

    /// <summary>A bare arXiv id ("2502.20388", or an old-style "hep-th/9901001"), version suffix dropped.</summary>
    public static string? NormalizeId(string? id)
    {
        if (id is null) return null;
        var match = ArxivId().Match(SourceText.Token(id));
        return match.Success ? match.Groups["id"].Value : null;
    }

    // Abstracts arrive with LaTeX left in them ("tokens\textemdash discrete", "(\eg, DINOv2)");
    // a reader should see the characters, not the macros.
    private static readonly (string Latex, string Text)[] LatexResidue =
    [
        (@"\textemdash", "—"), (@"\textendash", "–"), (@"\eg", "e.g."), (@"\ie", "i.e."), (@"\etc", "etc."),
        (@"\%", "%"), (@"\&", "&"), (@"\_", "_"), ("``", "“"), ("''", "”"),
    ];

    private static string? Clean(string? text)
    {
        if (text is null) return null;
        text = SourceText.Line(text);
        foreach (var (latex, plain) in LatexResidue)
            text = text.Replace(latex, plain, StringComparison.Ordinal);
        text = Whitespace().Replace(text, " ").Trim();
        return text.Length == 0 ? null : text;
    }

    // Only web links reach a mail: a javascript: or data: URL from the source is dropped.
    private static string? HttpUrlOrNull(string? url) =>
        url is not null && Uri.TryCreate(SourceText.Token(url), UriKind.Absolute, out var uri)
                        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.AbsoluteUri
            : null;

    // Old-style archives are words joined by hyphens ("hep-th", "cond-mat"), never hyphens alone.
    [GeneratedRegex(@"^(?<id>\d{4}\.\d{4,5}|[a-z]+(-[a-z]+)*(\.[A-Z]{2})?/\d{7})(v\d+)?$")]
    private static partial Regex ArxivId();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
