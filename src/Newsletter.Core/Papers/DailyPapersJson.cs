using System.Text.Json;
using System.Text.Json.Serialization;

namespace Newsletter.Core.Papers;

// The Daily Papers API's shape (formats/hf-daily-papers.md), only the fields the service uses.
// Everything is optional here: the mapper decides what an item must have.

public sealed class DailyPaperItem
{
    public DailyPaper? Paper { get; set; }
    public string? Title { get; set; }
    public string? Summary { get; set; }
    public string? Thumbnail { get; set; }
    public int? NumComments { get; set; }
    public DailyPaperOrganization? Organization { get; set; }
}

public sealed class DailyPaper
{
    public string? Id { get; set; }
    public List<DailyPaperAuthor>? Authors { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset? SubmittedOnDailyAt { get; set; }
    public string? Title { get; set; }
    public string? Summary { get; set; }
    public int? Upvotes { get; set; }
    public string? ProjectPage { get; set; }
    public string? GithubRepo { get; set; }
    public int? GithubStars { get; set; }

    [JsonPropertyName("ai_summary")]
    public string? AiSummary { get; set; }

    // Kept as raw JSON: one number or object among the keywords must not fail the whole list.
    [JsonPropertyName("ai_keywords")]
    public JsonElement? AiKeywords { get; set; }

    public DailyPaperOrganization? Organization { get; set; }
}

public sealed class DailyPaperAuthor
{
    public string? Name { get; set; }
    public bool Hidden { get; set; }
}

public sealed class DailyPaperOrganization
{
    public string? Name { get; set; }
    public string? Fullname { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(List<DailyPaperItem>))]
[JsonSerializable(typeof(List<JsonElement>))]
[JsonSerializable(typeof(string[]))]
public sealed partial class DailyPapersJsonContext : JsonSerializerContext;
