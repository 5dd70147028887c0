using System.ComponentModel.DataAnnotations;
using Quartz;

namespace Newsletter.Core.Options;

public sealed class DigestOptions : IValidatableObject
{
    public const string Section = "Digest";

    [Required]
    public string Cron { get; set; } = "0 0 8 * * ?";

    [Required]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The most papers one mail can hold (a reader chooses at most 30; the operator's default may be higher).</summary>
    public const int MostPapers = 100;

    [Range(1, MostPapers)]
    public int MaxPapers { get; set; } = 10;

    /// <summary>The most rising papers one mail can hold.</summary>
    public const int MostRising = 10;

    /// <summary>Rising papers (of the previous days' lists, grown into their day's top since) at the end of a daily digest; 0: none.</summary>
    [Range(0, MostRising)]
    public int MaxRising { get; set; } = 3;

    /// <summary>How many previous days' lists a daily digest looks back on for rising papers (their counts are re-fetched that far back).</summary>
    [Range(1, 7)]
    public int RisingDays { get; set; } = 3;

    /// <summary>Ledger rows read per keyset batch while sending.</summary>
    [Range(10, 100_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>The zone; an unknown name is refused by validation at start, so UTC here is never used silently.</summary>
    public TimeZoneInfo Zone => TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CronExpression.TryParse(Cron, out _))
            yield return new ValidationResult($"Digest:Cron '{Cron}' is not a valid Quartz cron expression.", [nameof(Cron)]);
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
            yield return new ValidationResult($"Digest:TimeZone '{TimeZone}' is not a known time zone.", [nameof(TimeZone)]);
    }
}
