using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Core.Options;

namespace Newsletter.Core.Security;

/// <summary>
/// Checks the DKIM settings at start: a key that cannot be used, or a signing domain receivers
/// would not align with From (DMARC), would otherwise only show as mail landing in spam.
/// </summary>
public sealed class DkimOptionsValidator(IOptions<NewsletterOptions> newsletter) : IValidateOptions<DkimOptions>
{
    public ValidateOptionsResult Validate(string? name, DkimOptions options)
    {
        if (!options.Enabled)
        {
            // A key or selector without a domain would silently sign nothing.
            return string.IsNullOrWhiteSpace(options.Selector) && string.IsNullOrWhiteSpace(options.PrivateKeyPath)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("Dkim:Domain is not set, so Dkim:Selector and Dkim:PrivateKeyPath would be ignored; set the domain to sign, or unset them.");
        }

        var failures = new List<string>();
        var domain = options.Domain!.Trim().TrimEnd('.');
        if (!IsHostName(domain))
            failures.Add($"Dkim:Domain '{options.Domain}' is not a domain name such as 'example.org'.");
        else if (FromDomain() is { } from && !Aligns(domain, from))
            failures.Add($"Dkim:Domain '{options.Domain}' does not align with the From domain '{from}' (Newsletter:From): it must be that domain or a parent of it.");

        if (string.IsNullOrWhiteSpace(options.Selector))
            failures.Add("Dkim:Selector is required when Dkim:Domain is set (the key is published at {selector}._domainkey.{domain}).");
        else if (!IsHostName(options.Selector.Trim()))
            failures.Add($"Dkim:Selector '{options.Selector}' is not a DNS label such as 'news2026'.");

        if (string.IsNullOrWhiteSpace(options.PrivateKeyPath))
        {
            failures.Add("Dkim:PrivateKeyPath is required when Dkim:Domain is set (a PEM file; dkim-keygen makes one).");
        }
        else
        {
            try
            {
                DkimKey.Load(options.PrivateKeyPath);
            }
            catch (DkimKeyException e)
            {
                failures.Add($"Dkim:PrivateKeyPath '{options.PrivateKeyPath}' cannot be read: {e.Message}.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// Relaxed alignment (DMARC's default): the same organisational domain, here: equal, or a parent
    /// of two labels or more (a top-level domain such as <c>org</c> is no one's organisational domain).
    /// </summary>
    public static bool Aligns(string signingDomain, string fromDomain) =>
        string.Equals(signingDomain, fromDomain, StringComparison.OrdinalIgnoreCase)
        || (signingDomain.Contains('.') && fromDomain.EndsWith("." + signingDomain, StringComparison.OrdinalIgnoreCase));

    // An invalid From is reported by its own validation; here there is then nothing to compare with.
    private string? FromDomain() =>
        MailboxAddress.TryParse(newsletter.Value.From, out var from) && from.Address.Contains('@') ? from.Domain.TrimEnd('.') : null;

    private static bool IsHostName(string name) =>
        Uri.CheckHostName(name) == UriHostNameType.Dns && name.Split('.').All(label => label.Length is > 0 and <= 63);
}
