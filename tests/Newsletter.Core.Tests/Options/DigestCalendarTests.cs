using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Newsletter.Core.Options;

namespace Newsletter.Core.Tests.Options;

public sealed class DigestCalendarTests
{
    private static DigestCalendar At(string utc, string zone) => new(
        new FakeTimeProvider(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture)),
        Microsoft.Extensions.Options.Options.Create(new DigestOptions { TimeZone = zone }));

    [Theory]
    // Tokyo, 00:30 on the 11th: the list of the 11th begins at 09:00 there, so the 10th is still the day.
    [InlineData("2026-06-10T15:30:00Z", "Asia/Tokyo", "2026-06-10")]
    [InlineData("2026-06-11T00:30:00Z", "Asia/Tokyo", "2026-06-11")]
    // New York, 21:00 on the 10th: the UTC list of the 11th has begun, but the day there is the 10th.
    [InlineData("2026-06-11T01:00:00Z", "America/New_York", "2026-06-10")]
    [InlineData("2026-06-11T13:00:00Z", "America/New_York", "2026-06-11")]
    [InlineData("2026-06-10T23:59:59Z", "UTC", "2026-06-10")]
    public void TheDigestDayIsTheDateInItsZoneButNeverAListThatHasNotBegun(string utc, string zone, string day) =>
        Assert.Equal(DateOnly.Parse(day, CultureInfo.InvariantCulture), At(utc, zone).Today());

    [Fact]
    public void TheNewestListIsTheUtcDate() =>
        Assert.Equal(new DateOnly(2026, 6, 11), At("2026-06-11T01:00:00Z", "America/New_York").NewestListDay());
}
