using System.Text.RegularExpressions;
using MimeKit;

namespace Newsletter.Api.Tests.Infrastructure;

public static partial class Mail
{
    /// <summary>The first link in the text part that starts with <paramref name="prefix"/>, as a reader would copy it.</summary>
    public static string LinkStartingWith(MimeMessage message, string prefix)
    {
        var text = message.TextBody ?? throw new InvalidOperationException("The mail has no text part.");
        var match = Link().Matches(text).Select(m => m.Value).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return match ?? throw new InvalidOperationException($"No link starting with {prefix} in:\n{text}");
    }

    public static string ConfirmLink(MimeMessage message) =>
        LinkStartingWith(message, NewsletterApp.BaseUrl + "/subscriptions/confirm?token=");

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Link();
}
