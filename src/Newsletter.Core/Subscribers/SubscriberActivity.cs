using Dapper;
using Newsletter.Core.Data;

namespace Newsletter.Core.Subscribers;

/// <summary>One day's changes: readers who confirmed, who left, whose mail bounced.</summary>
public sealed record ActivityDay(DateOnly Day, long Confirmed, long Unsubscribed, long Bounced);

/// <summary>Subscribers' changes per day (UTC), for the console's chart.</summary>
public sealed class SubscriberActivity(Db db, TimeProvider clock)
{
    // Times are stored as ISO-8601 UTC text: the first ten characters are the day. Each branch
    // reads only its own partial index (0006) from @since on.
    private const string PerDay = """
        SELECT substr(confirmed_at, 1, 10) AS day, 'confirmed' AS kind, COUNT(*) AS count
        FROM subscribers WHERE confirmed_at >= @since GROUP BY 1
        UNION ALL
        SELECT substr(unsubscribed_at, 1, 10), 'unsubscribed', COUNT(*)
        FROM subscribers WHERE unsubscribed_at >= @since GROUP BY 1
        UNION ALL
        SELECT substr(bounced_at, 1, 10), 'bounced', COUNT(*)
        FROM subscribers WHERE bounced_at >= @since GROUP BY 1
        """;

    /// <summary>The last <paramref name="days"/> days, today included, oldest first; a quiet day is all zeros.</summary>
    public async Task<IReadOnlyList<ActivityDay>> LastDaysAsync(int days, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var first = today.AddDays(1 - days);
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Day, string Kind, long Count)>(new CommandDefinition(PerDay,
            new { since = first.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken: ct));
        var counts = rows.ToLookup(r => (r.Day, r.Kind), r => r.Count);
        return Enumerable.Range(0, days).Select(i =>
        {
            var day = first.AddDays(i);
            var key = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            return new ActivityDay(day, counts[(key, "confirmed")].Sum(), counts[(key, "unsubscribed")].Sum(), counts[(key, "bounced")].Sum());
        }).ToList();
    }
}
