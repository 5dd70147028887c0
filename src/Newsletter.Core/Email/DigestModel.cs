using System.Globalization;
using System.Text;
using Newsletter.Core.Papers;

namespace Newsletter.Core.Email;

/// <summary>
/// What the digest templates show. One model per rendering: nothing in it is per subscriber. A
/// reader's own values (the unsubscribe link) are written through <see cref="Slots"/>, and only there.
/// </summary>
public sealed record DigestModel(
    SenderInfo Sender,
    DateOnly Date,
    IReadOnlyList<DigestPaperView> Papers,
    PersonalSlots Slots,
    bool IsWebView)
{
    public string ArchiveUrl => Sender.Urls.Archive(Date);

    public string DateText => Date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>The line mail clients show beside the subject.</summary>
    public string Preheader => Papers.Count == 0 ? "" :
        $"Today's top {(Papers.Count == 1 ? "paper" : $"{Papers.Count} papers")}: " +
        string.Join(" · ", Papers.Take(3).Select(p => p.Title)) + (Papers.Count > 3 ? " …" : "");
}

public sealed record DigestPaperView(
    int Rank,
    string Id,
    string Title,
    long Upvotes,
    long Comments,
    string Byline,
    string Summary,
    bool SummaryIsAi,
    string? GithubRepo,
    long? GithubStars,
    string? ProjectPage)
{
    public const int SummaryLength = 320;

    public string PaperUrl => $"https://huggingface.co/papers/{Id}";
    public string ArxivUrl => $"https://arxiv.org/abs/{Id}";
    public string UpvotesText => Upvotes == 1 ? "1 upvote" : $"{Upvotes} upvotes";
    public string CommentsText => Comments == 1 ? "1 comment" : $"{Comments} comments";
    public string? StarsText => GithubStars is { } s ? (s >= 1000 ? $"{s / 1000.0:0.#}k" : s.ToString(CultureInfo.InvariantCulture)) : null;

    public static DigestPaperView From(Paper paper, int rank) => new(
        rank, paper.Id, paper.Title, paper.Upvotes, paper.NumComments, BylineOf(paper),
        paper.AiSummary ?? Shorten(paper.Summary, SummaryLength), paper.AiSummary is not null,
        paper.GithubRepo, paper.GithubStars, paper.ProjectPage);

    /// <summary>Names when the source gives them, else the organisation, else how many authors.</summary>
    public static string BylineOf(Paper paper)
    {
        var names = paper.Authors.Split(", ", StringSplitOptions.RemoveEmptyEntries);
        var count = Math.Max(paper.AuthorCount, names.Length);
        if (names.Length > 0)
        {
            var shown = names.Length <= 3 ? string.Join(", ", names) : string.Join(", ", names.Take(3)) + " et al.";
            return paper.Organization is null ? shown : $"{shown} · {paper.Organization}";
        }
        if (paper.Organization is not null) return paper.Organization;
        return count switch { 0 => "", 1 => "1 author", _ => $"{count} authors" };
    }

    /// <summary>Cuts at a word boundary and says so with an ellipsis.</summary>
    public static string Shorten(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = text.LastIndexOf(' ', max - 1);
        return text[..(cut > max / 2 ? cut : max - 1)].TrimEnd(',', ';', ':', ' ') + "…";
    }

    /// <summary>The summary wrapped for the plain-text part, each line indented.</summary>
    public string WrappedSummary(int width, string indent)
    {
        var result = new StringBuilder();
        var line = new StringBuilder();
        foreach (var word in Summary.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                result.Append(indent).Append(line).Append('\n');
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) result.Append(indent).Append(line);
        return result.ToString();
    }
}
