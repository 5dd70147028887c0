namespace Newsletter.Core.Subscribers;

/// <summary>How often a reader gets mail.</summary>
public enum DigestFrequency { Daily, Weekly }

/// <summary>
/// What one reader chose for their digest. Null <see cref="MaxPapers"/> is the service's
/// <c>Digest:MaxPapers</c>; null <see cref="SendHour"/> is "with everyone else, at Digest:Cron".
/// </summary>
public sealed record ReaderPreferences(
    DigestFrequency Frequency,
    DayOfWeek Weekday,
    int? MaxPapers,
    IReadOnlyList<string> Topics,
    IReadOnlyList<string> MutedTopics,
    bool RequireCode,
    int? SendHour,
    string? TimeZone)
{
    public static ReaderPreferences Default { get; } =
        new(DigestFrequency.Daily, DayOfWeek.Monday, null, [], [], false, null, null);
}
