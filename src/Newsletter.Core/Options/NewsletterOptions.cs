using System.ComponentModel.DataAnnotations;

namespace Newsletter.Core.Options;

public sealed class NewsletterOptions : IValidatableObject
{
    public const string Section = "Newsletter";

    /// <summary>Absolute base of every link in mail and pages.</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>Bearer key for /api/admin; when empty one is generated on first start and stored.</summary>
    public string? AdminApiKey { get; set; }

    /// <summary>Shorter keys could be found by trying, even at ten guesses a minute.</summary>
    public const int MinAdminApiKeyLength = 16;

    /// <summary>Key for signing the links in mail; when empty one is generated on first start and stored.</summary>
    public string? SigningKey { get; set; }

    [Required]
    public string From { get; set; } = "Daily Papers <papers@localhost>";

    [Required]
    public string PostalAddress { get; set; } = "Daily Papers, 1 Example Street, 00000 Example City (set Newsletter__PostalAddress)";

    [Range(1, 100_000)]
    public int SubscribeLimitPerMinute { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan ConfirmationLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Folder of the Razor templates; empty means templates/ in the working folder, else beside the binary.</summary>
    public string? TemplatesPath { get; set; }

    /// <summary>Paper file imported when the paper table is empty; empty means seeds/papers.json, found like the templates.</summary>
    public string? SeedPapersPath { get; set; }

    public string BaseUrl => PublicBaseUrl.TrimEnd('/');

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MimeKit.MailboxAddress.TryParse(From, out var from) || !from.Address.Contains('@') || From.Any(char.IsControl))
            yield return new ValidationResult($"Newsletter:From '{From}' is not a mail address such as 'Daily Papers <papers@example.org>'.", [nameof(From)]);
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            yield return new ValidationResult($"Newsletter:PublicBaseUrl '{PublicBaseUrl}' must be an absolute http(s) address.", [nameof(PublicBaseUrl)]);
        // The key itself is never repeated in the message: it would end up in logs.
        if (!string.IsNullOrEmpty(AdminApiKey) && AdminApiKey.Length < MinAdminApiKeyLength)
            yield return new ValidationResult(
                $"Newsletter:AdminApiKey has {AdminApiKey.Length} characters; it needs at least {MinAdminApiKeyLength} (or leave it unset to have one generated).",
                [nameof(AdminApiKey)]);
    }
}
