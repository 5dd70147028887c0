namespace Newsletter.Core.Email;

/// <summary>A paper as the public pages list it: its title linking to its page, and its upvotes.</summary>
public sealed record PaperLink(string Id, string Title, long Upvotes)
{
    public string Url => UrlOf(Id);

    public string UpvotesText => Upvotes == 1 ? "1 upvote" : $"{Upvotes} upvotes";

    /// <summary>A paper's page on Hugging Face, where the mail and the web view link too.</summary>
    public static string UrlOf(string id) => $"https://huggingface.co/papers/{id}";
}

/// <summary>One daily digest in the archive and on the landing page: its date, its web view and its papers.</summary>
public sealed record EditionSummary(DateOnly Date, string Url, IReadOnlyList<PaperLink> Papers)
{
    public string DateText => Date.ToString("dddd d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A page of the archive, newest first; <see cref="OlderUrl"/> is null on the last page.</summary>
public sealed record ArchivePage(SenderInfo Sender, IReadOnlyList<EditionSummary> Editions, string? OlderUrl, bool IsNewest);
