using Newsletter.Core.Scheduling;

namespace Newsletter.Core.Tests.Scheduling;

public sealed class DigestScheduleTests
{
    private const string EightAm = "0 0 8 * * ?";

    [Theory]
    [InlineData("2026-11-29T09:30:00Z", true)]   // started after 08:00: today's goes out now
    [InlineData("2026-11-29T08:00:00Z", true)]
    [InlineData("2026-11-29T07:59:59Z", false)]  // before 08:00: the trigger will do it
    [InlineData("2026-11-29T00:00:01Z", false)]  // yesterday's missed run is not sent late
    public void TodaysRunIsDueOnlyOnceItsTimeHasPassedToday(string now, bool due) =>
        Assert.Equal(due, DigestSchedule.TodaysRunDue(EightAm, TimeZoneInfo.Utc, DateTimeOffset.Parse(now)) is not null);

    [Fact]
    public void TheTimeZoneDecidesWhichDayItIs()
    {
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        // 23:30 UTC is 08:30 the next day in Tokyo: that day's 08:00 has passed.
        Assert.Equal(DateTimeOffset.Parse("2026-11-28T23:00:00Z"), DigestSchedule.TodaysRunDue(EightAm, tokyo, DateTimeOffset.Parse("2026-11-28T23:30:00Z")));
        // 22:30 UTC is 07:30 in Tokyo.
        Assert.Null(DigestSchedule.TodaysRunDue(EightAm, tokyo, DateTimeOffset.Parse("2026-11-28T22:30:00Z")));
    }

    [Fact]
    public void ADayWithoutARunIsNeverDue() =>
        // Weekdays only; 2026-11-29 is a Sunday.
        Assert.Null(DigestSchedule.TodaysRunDue("0 0 8 ? * MON-FRI", TimeZoneInfo.Utc, DateTimeOffset.Parse("2026-11-29T12:00:00Z")));
}
