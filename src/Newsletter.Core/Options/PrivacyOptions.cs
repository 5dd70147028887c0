using System.ComponentModel.DataAnnotations;

namespace Newsletter.Core.Options;

/// <summary>How long data kept only for a while is kept (section "Privacy").</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>When the retention sweep runs (it also runs once at every start).</summary>
    public const string Cron = "0 17 3 * * ?";

    /// <summary>Sign-ups never confirmed are deleted after this many days.</summary>
    [Range(1, 36_500, ErrorMessage = "Privacy:PendingRetentionDays must be a whole number of days from 1 to 36500.")]
    public int PendingRetentionDays { get; set; } = 30;

    /// <summary>IP addresses kept as evidence of consent are dropped after this many days.</summary>
    [Range(1, 36_500, ErrorMessage = "Privacy:IpRetentionDays must be a whole number of days from 1 to 36500.")]
    public int IpRetentionDays { get; set; } = 365;
}
