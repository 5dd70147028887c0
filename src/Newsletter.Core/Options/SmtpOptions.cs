using System.ComponentModel.DataAnnotations;

namespace Newsletter.Core.Options;

public enum SmtpSecurity { None, StartTls, SslOnConnect, Auto }

public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    /// <summary>SMTP relay host; empty means messages are written to <see cref="PickupDirectory"/>.</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    public string? Username { get; set; }

    public string? Password { get; set; }

    [Range(1, 64)]
    public int MaxConnections { get; set; } = 4;

    /// <summary>Send-rate cap for relays with a quota; 0 means none.</summary>
    [Range(0, 1_000_000)]
    public double MessagesPerSecond { get; set; }

    [Required]
    public string PickupDirectory { get; set; } = "outbox";

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often one delivery is tried on transient failures before it is recorded as failed.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First wait before a retry; it doubles with each attempt, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public bool UsesPickupDirectory => string.IsNullOrWhiteSpace(Host);
}
