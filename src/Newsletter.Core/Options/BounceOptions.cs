using System.ComponentModel.DataAnnotations;
using Quartz;

namespace Newsletter.Core.Options;

/// <summary>Returned mail: the per-message return path, and the mailbox it is read from.</summary>
public sealed class BounceOptions : IValidatableObject
{
    public const string Section = "Bounces";

    /// <summary>With a domain, each message's return path is <c>bounces+TOKEN@{Domain}</c>; unset: From's address.</summary>
    public string? Domain { get; set; }

    /// <summary>When the mailbox is read (Quartz cron).</summary>
    [Required]
    public string Cron { get; set; } = "0 0/10 * * * ?";

    public BounceImapOptions Imap { get; set; } = new();

    public bool UsesReturnPath => !string.IsNullOrWhiteSpace(Domain);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CronExpression.TryParse(Cron, out _))
            yield return new ValidationResult($"Bounces:Cron '{Cron}' is not a valid Quartz cron expression.", [nameof(Cron)]);
        // Data annotations do not look into nested objects: the mailbox's own rules are checked here.
        var imap = new List<ValidationResult>();
        if (!Validator.TryValidateObject(Imap, new ValidationContext(Imap), imap, validateAllProperties: true))
            foreach (var failure in imap)
                yield return new ValidationResult($"Bounces:Imap: {failure.ErrorMessage}", failure.MemberNames.Select(m => $"Imap.{m}"));
    }
}

/// <summary>The IMAP mailbox that receives returned mail; unset host: no mailbox is read.</summary>
public sealed class BounceImapOptions
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 993;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    public string? Username { get; set; }

    public string? Password { get; set; }

    [Required]
    public string Folder { get; set; } = "INBOX";

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}
