using System.ComponentModel.DataAnnotations;
using Quartz;

namespace Newsletter.Core.Options;

/// <summary>Replies to digests: the reply address they carry, and the mailbox replies are read from.</summary>
public sealed class RepliesOptions : IValidatableObject
{
    public const string Section = "Replies";

    /// <summary>With a domain, each digest carries <c>Reply-To: &lt;reply+TOKEN@{Domain}&gt;</c>; unset: no Reply-To.</summary>
    public string? Domain { get; set; }

    /// <summary>When <see cref="Imap"/> is read (Quartz cron); only with its own host.</summary>
    [Required]
    public string Cron { get; set; } = "0 0/10 * * * ?";

    /// <summary>A mailbox of its own for replies; unset host: replies are read from the bounce mailbox (Bounces:Imap).</summary>
    public BounceImapOptions Imap { get; set; } = new();

    /// <summary>
    /// The authserv-id of the mail server that receives replies (as in its <c>Authentication-Results</c>
    /// headers, e.g. <c>mx.example.org</c>). Set: a reply counts only when that server found
    /// <c>dmarc=pass</c>, or <c>dkim=pass</c> aligned with From. Unset: From is compared as written.
    /// </summary>
    public string? AuthServId { get; set; }

    public bool UsesReplyTo => !string.IsNullOrWhiteSpace(Domain);

    public bool RequiresAuthentication => !string.IsNullOrWhiteSpace(AuthServId);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The domain ends up in a header of every digest: a host name, nothing that could break the line.
        if (UsesReplyTo && !System.Text.RegularExpressions.Regex.IsMatch(Domain!.Trim(), @"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$"))
            yield return new ValidationResult($"Replies:Domain '{Domain}' is not a domain name such as replies.example.org.", [nameof(Domain)]);
        if (!CronExpression.TryParse(Cron, out _))
            yield return new ValidationResult($"Replies:Cron '{Cron}' is not a valid Quartz cron expression.", [nameof(Cron)]);
        var imap = new List<ValidationResult>();
        if (!Validator.TryValidateObject(Imap, new ValidationContext(Imap), imap, validateAllProperties: true))
            foreach (var failure in imap)
                yield return new ValidationResult($"Replies:Imap: {failure.ErrorMessage}", failure.MemberNames.Select(m => $"Imap.{m}"));
    }
}
