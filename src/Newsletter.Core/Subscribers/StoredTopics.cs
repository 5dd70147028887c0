using System.Text.Json;

namespace Newsletter.Core.Subscribers;

/// <summary>
/// How a reader's topics and muted topics are kept in their row: a JSON array, NULL for none (so
/// "has topics" is <c>topics IS NOT NULL</c>). Anything else found there (an old row's <c>[]</c>,
/// a hand edit) reads as none.
/// </summary>
public static class StoredTopics
{
    public static string? Format(IReadOnlyList<string> topics) => topics.Count == 0 ? null : JsonSerializer.Serialize(topics);

    public static IReadOnlyList<string> Parse(string? json)
    {
        if (string.IsNullOrEmpty(json) || json == "[]") return [];
        try
        {
            return JsonSerializer.Deserialize<string[]>(json)?.Where(t => !string.IsNullOrWhiteSpace(t)).ToArray() ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
