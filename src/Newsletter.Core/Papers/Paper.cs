namespace Newsletter.Core.Papers;

/// <summary>A paper as the service keeps it, independent of where it came from.</summary>
public sealed class Paper
{
    public string Id { get; init; } = "";
    public string Title { get; init; } = "";
    public string Summary { get; init; } = "";
    public string? AiSummary { get; init; }
    public string Authors { get; init; } = "";
    public long AuthorCount { get; init; }
    public string? Organization { get; init; }
    public long Upvotes { get; init; }
    public long NumComments { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset? SubmittedOnDailyAt { get; init; }
    public DateOnly? DailyDate { get; init; }
    public string? GithubRepo { get; init; }
    public long? GithubStars { get; init; }
    public string? ProjectPage { get; init; }
    public string? Thumbnail { get; init; }
}
