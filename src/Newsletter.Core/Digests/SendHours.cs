using Microsoft.Extensions.Options;
using Newsletter.Core.Options;

namespace Newsletter.Core.Digests;

/// <summary>
/// When the mail of a reader who chose an hour is due: from the digest's making on, the first
/// moment that is within that hour in the reader's zone (their own, else Digest:TimeZone). Made
/// within the hour: due at once. An hour a clock change skips is met the next day.
/// </summary>
public sealed class SendHours(IOptions<DigestOptions> options)
{
    /// <returns>Null when the mail is due at once.</returns>
    public DateTimeOffset? DueAt(int hour, string? zoneId, DateTimeOffset madeAt)
    {
        var zone = zoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var own) ? own : options.Value.Zone;
        var local = TimeZoneInfo.ConvertTime(madeAt, zone);
        if (local.Hour == hour) return null;

        // Walk whole hours forward (at most two days): DST shifts move the local hour, not the instant.
        var start = new DateTimeOffset(madeAt.UtcDateTime.Date.AddHours(madeAt.UtcDateTime.Hour), TimeSpan.Zero).AddHours(1);
        for (var at = start; at < madeAt.AddHours(50); at = at.AddMinutes(15))
        {
            var there = TimeZoneInfo.ConvertTime(at, zone);
            if (there.Hour == hour && there.Minute == 0) return at;
        }
        return null;
    }
}
