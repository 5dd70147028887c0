using Microsoft.Extensions.Options;

namespace Newsletter.Core.Options;

/// <summary>
/// The one notion of "today" for digests and fetches. A digest for day D holds the Daily Papers
/// list of D, and the API keeps its lists by UTC date: the list of D exists once D has begun in
/// UTC. East of UTC the date in Digest:TimeZone runs ahead of that for part of each day (in Tokyo
/// until 09:00), when today's list does not exist yet; then the digest day is still the previous
/// date, whose list is the newest and nearly complete. A Tokyo 08:00 digest thus sends the list
/// Hugging Face shows at that moment, instead of asking for a list that is not there and sending
/// nothing. West of UTC the date in the zone is never ahead, so the digest day is that date.
/// </summary>
public sealed class DigestCalendar(TimeProvider clock, IOptions<DigestOptions> options)
{
    public DateOnly Today() => DayAt(clock.GetUtcNow());

    /// <summary>The digest day at <paramref name="instant"/>: for a run, the day of the time it was due.</summary>
    public DateOnly DayAt(DateTimeOffset instant)
    {
        var local = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, options.Value.Zone).DateTime);
        var newest = ListDayAt(instant);
        return local < newest ? local : newest;
    }

    /// <summary>The newest Daily Papers list that has begun; a later day's list does not exist yet.</summary>
    public DateOnly NewestListDay() => ListDayAt(clock.GetUtcNow());

    private static DateOnly ListDayAt(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime);
}
