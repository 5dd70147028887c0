using System.Globalization;
using System.Text;
using Newsletter.Core.Papers;

namespace Newsletter.Core.Email;

/// <summary>
/// What the digest templates show. One model per rendering: nothing in it is per subscriber. A
/// reader's own values (links, which papers and in which order, why) are written through
/// <see cref="Slots"/>, and only there. The mail's rendering holds every paper of the pool, each
/// in its own section; the web view (no slots) holds the top papers only.
/// </summary>
public sealed record DigestModel(
    SenderInfo Sender,
    DateOnly Date,
    IReadOnlyList<DigestPaperView> Papers,
    PersonalSlots Slots,
    bool IsWebView,
    bool Weekly = false,
    IReadOnlyList<DigestPaperView>? Rising = null)
{
    /// <summary>
    /// Papers of the previous days that climbed into their day's top since their digest. In the
    /// mail, the section's heading is a section of its own (cut like a paper's), so a reader with
    /// nothing rising gets no heading.
    /// </summary>
    public IReadOnlyList<DigestPaperView> RisingPapers => Rising ?? [];

    /// <summary>
    /// The paper cards in the mail's order: the day's papers, then, in a personal mail, the Rising
    /// section's, the first of which opens the section. One loop writes them all, in place: a
    /// partial template would cost the sending process Microsoft.CSharp's run-time binder, since
    /// RazorLight hands an included template the page's ViewBag as <c>dynamic</c>.
    /// </summary>
    public IEnumerable<DigestCard> Cards
    {
        get
        {
            foreach (var paper in Papers) yield return new DigestCard(paper, OpensRising: false);
            if (!Slots.ArePersonal) yield break;
            for (var i = 0; i < RisingPapers.Count; i++) yield return new DigestCard(RisingPapers[i], OpensRising: i == 0);
        }
    }

    public const string RisingHeading = "Rising";

    public const string RisingLede = "Papers of the last days that climbed into their day's top after their digest went out.";

    public string ArchiveUrl => Sender.Urls.Archive(Date);

    public string DateText => Date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    public string Heading => Weekly ? $"Your week in papers · to {DateText}" : $"Trending papers · {DateText}";

    /// <summary>What the web view says above its papers (a reader's mail has its own, in a slot).</summary>
    public string Lede => DigestWording.Lede(Papers.Count, Weekly, personal: false);

    /// <summary>The line mail clients show beside the subject.</summary>
    public string Preheader => DigestWording.Preheader(Papers.Select(p => p.Title).Take(3).ToList(), Papers.Count);
}

/// <summary>The sentences that depend on how many papers a reader gets, shared by the web view and the mail.</summary>
public static class DigestWording
{
    public static string Lede(int count, bool weekly, bool personal)
    {
        var papers = count == 1 ? "paper" : $"{count} papers";
        var span = weekly ? "of the week" : "of the day";
        return personal
            ? $"The {papers} {span} on Hugging Face Daily Papers chosen for you by your topics and votes."
            : $"The {(count == 1 ? "most upvoted paper" : $"{count} most upvoted papers")} {span} on Hugging Face Daily Papers.";
    }

    public static string Preheader(IReadOnlyList<string> topTitles, int count) => count == 0 ? "" :
        $"Top {(count == 1 ? "paper" : $"{count} papers")}: " + string.Join(" · ", topTitles.Take(3)) + (count > 3 ? " …" : "");
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
    string? ProjectPage,
    string? RisingNote = null)
{
    public const int SummaryLength = 320;

    public string PaperUrl => PaperLink.UrlOf(Id);
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

/// <summary>One paper card of a digest rendering; the first of the Rising section opens it with its heading.</summary>
public sealed record DigestCard(DigestPaperView Paper, bool OpensRising);
