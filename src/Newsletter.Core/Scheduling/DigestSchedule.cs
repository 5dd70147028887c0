using Quartz;

namespace Newsletter.Core.Scheduling;

/// <summary>When today's digest was due, for the catch-up after a late start.</summary>
public static class DigestSchedule
{
    /// <summary>
    /// When today's scheduled time (in the digest's zone) was, once it has passed: a service that
    /// was down then and starts later the same day sends once. Earlier days are never looked at,
    /// so days missed entirely are not sent late.
    /// </summary>
    public static DateTimeOffset? TodaysRunDue(string cron, TimeZoneInfo zone, DateTimeOffset now)
    {
        var expression = new CronExpression(cron, zone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var startOfDay = new DateTimeOffset(local.Date, local.Offset);
        var first = expression.GetNextValidTimeAfter(startOfDay.AddTicks(-1));
        return first is { } due && due <= now && TimeZoneInfo.ConvertTime(due, zone).Date == local.Date ? due : null;
    }
}
