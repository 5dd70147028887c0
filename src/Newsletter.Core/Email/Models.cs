using System.Globalization;

namespace Newsletter.Core.Email;

/// <summary>What every mail's footer and header need to know about the sender.</summary>
public sealed record SenderInfo(string Name, string PostalAddress, PublicUrls Urls);

public sealed record ConfirmationModel(SenderInfo Sender, string Email, string ConfirmUrl, int LinkValidDays);

/// <summary>A page that tells the visitor one thing: done, or what went wrong and what to do.</summary>
public sealed record MessagePage(SenderInfo Sender, string Title, string Heading, string Body, string? LinkUrl = null, string? LinkText = null);

/// <summary>The page behind a confirmation link: one button, because opening a link (as mail scanners do) must confirm nothing.</summary>
public sealed record ConfirmPage(SenderInfo Sender, string Token);

/// <summary>The start page; <see cref="Latest"/> shows a visitor what they will get (null before the first digest).</summary>
public sealed record LandingPage(SenderInfo Sender, string? Notice = null, EditionSummary? Latest = null);

/// <summary>
/// The unsubscribe link travels with the mail (forwarded, quoted, scanned): whoever opens it sees
/// only <see cref="MaskedEmail"/>, enough for the reader to recognise the address.
/// </summary>
public sealed record UnsubscribePage(SenderInfo Sender, string Email, string Token, bool AlreadyUnsubscribed)
{
    public string MaskedEmail => Mask(Email);

    /// <summary><c>jane@example.org</c> becomes <c>j•••@example.org</c>; a one-character local part is not shown at all.</summary>
    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        if (at < 0) return "•••";
        var local = email[..at];
        var first = local.Length == 0 ? 0 : StringInfo.GetNextTextElementLength(local);
        var shown = first < local.Length ? local[..first] : "";
        return shown + "•••" + email[at..];
    }
}
