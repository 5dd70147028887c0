using System.Text.Json;

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

    /// <summary>The API's <c>ai_keywords</c> as stored: a JSON array of strings, or null when the source had none.</summary>
    public string? AiKeywords { get; init; }

    private IReadOnlyList<string>? _keywords;

    /// <summary>The keywords, parsed once; a column that is not a JSON array of strings reads as none.</summary>
    public IReadOnlyList<string> Keywords => _keywords ??= ParseKeywords(AiKeywords);

    public static string? KeywordsJson(IReadOnlyList<string> keywords) =>
        keywords.Count == 0 ? null : JsonSerializer.Serialize(keywords.ToArray(), DailyPapersJsonContext.Default.StringArray);

    private static string[] ParseKeywords(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        try
        {
            var parsed = JsonSerializer.Deserialize(json, DailyPapersJsonContext.Default.StringArray) ?? [];
            return Array.FindAll(parsed, k => !string.IsNullOrEmpty(k));
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
