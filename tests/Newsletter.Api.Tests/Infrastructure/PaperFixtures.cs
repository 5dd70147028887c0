using System.Net;
using System.Text.Json;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>Papers in the exact shape the Daily Papers API serves, as an operator would import them.</summary>
public static class PaperFixtures
{
    public static object Item(string id, string title, int upvotes, DateOnly listDate, int comments = 0,
        DateTimeOffset? publishedAt = null, string? aiSummary = null, string? githubRepo = null, int? githubStars = null) => new
    {
        paper = new
        {
            id,
            authors = new object[]
            {
                new { _id = "6a0000000000000000000001", name = "Ada Example", hidden = false },
                new { _id = "6a0000000000000000000002", name = "Bo Sample", hidden = false },
            },
            publishedAt = (publishedAt ?? new DateTimeOffset(listDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-2)).ToString("O"),
            submittedOnDailyAt = new DateTimeOffset(listDate.ToDateTime(new TimeOnly(3, 55)), TimeSpan.Zero).ToString("O"),
            title,
            summary = $"We study {title.ToLowerInvariant()} in depth. " + string.Concat(Enumerable.Repeat("The method is evaluated on standard benchmarks. ", 12)),
            upvotes,
            discussionId = "6a0000000000000000000abc",
            githubRepo,
            githubStars,
            ai_summary = aiSummary,
        },
        publishedAt = DateTimeOffset.UtcNow.ToString("O"),
        title,
        summary = "outer summary",
        thumbnail = $"https://cdn.example/social-thumbnails/papers/{id}.png",
        numComments = comments,
        submittedBy = new { _id = "6a00000000000000000000aa", name = "someone", fullname = "Someone", type = "user" },
        isAuthorParticipating = false,
    };

    /// <summary>Imports the items through the admin API, checks it took them, and returns its answer as sent.</summary>
    public static async Task<string> ImportAsync(this NewsletterApp app, params object[] items)
    {
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsync("/api/admin/papers",
            new StringContent(JsonSerializer.Serialize(items), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A day's list of <paramref name="count"/> papers with distinct upvotes, ids unique to the day.</summary>
    public static object[] Day(DateOnly date, int count) => Enumerable.Range(1, count)
        .Select(i => Item($"{date:yyMM}.{date.Day:00}{i:000}", $"Paper {i} of {date:yyyy-MM-dd}", upvotes: 100 - i, listDate: date))
        .ToArray();
}
