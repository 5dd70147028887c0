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

        // Walk quarter hours forward (zones are offset by whole, half or quarter hours; at most two
        // days): the first that starts the reader's hour there.
        var utc = madeAt.UtcDateTime;
        var start = new DateTimeOffset(utc.Date.AddHours(utc.Hour).AddMinutes(utc.Minute / 15 * 15), TimeSpan.Zero).AddMinutes(15);
        for (var at = start; at < madeAt.AddHours(50); at = at.AddMinutes(15))
        {
            var there = TimeZoneInfo.ConvertTime(at, zone);
            if (there.Hour == hour && there.Minute == 0) return at;
        }
        return null;
    }
}
