using Microsoft.Extensions.Options;
using Newsletter.Core.Digests;
using Newsletter.Core.Options;

namespace Newsletter.Core.Tests.Digests;

public sealed class SendHoursTests
{
    private static readonly SendHours Hours = new(Microsoft.Extensions.Options.Options.Create(new DigestOptions { TimeZone = "UTC" }));

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void MadeWithinTheReadersHourTheMailIsDueAtOnce() =>
        Assert.Null(Hours.DueAt(10, "Europe/Berlin", Utc(8, 12, 8, 20)));

    [Fact]
    public void ALaterHourTheSameDayIsWaitedFor() =>
        Assert.Equal(Utc(8, 12, 9), Hours.DueAt(11, "Europe/Berlin", Utc(8, 12, 8)));

    [Fact]
    public void AnHourAlreadyPastIsTheNextDays() =>
        Assert.Equal(Utc(8, 12, 22), Hours.DueAt(7, "Asia/Tokyo", Utc(8, 12, 8)));

    [Fact]
    public void HalfHourZonesStartTheirHourAtTheHalfHour() =>
        Assert.Equal(Utc(8, 12, 8, 30), Hours.DueAt(14, "Asia/Kolkata", Utc(8, 12, 8)));

    [Fact]
    public void WithoutAZoneTheDigestZoneCounts() =>
        Assert.Equal(Utc(8, 12, 18), Hours.DueAt(18, null, Utc(8, 12, 8)));

    [Fact]
    public void AnHourTheClockChangeSkipsIsMetTheNextDay()
    {
        // 29 March 2026: Berlin jumps from 02:00 to 03:00; 02:00 does not exist that day.
        var due = Hours.DueAt(2, "Europe/Berlin", Utc(3, 28, 23, 30));
        Assert.Equal(Utc(3, 30, 0), due);
    }
}
