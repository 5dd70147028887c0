using MimeKit;

namespace Newsletter.Core.Bounces;

/// <summary>
/// A bounce that is not a delivery status report (Exim's and qmail's texts, old gateways): it
/// counts only when it looks like one (sent by a mailer daemon or titled so) and is not an
/// automatic reply, and only through the signed return path it came back to (see
/// <see cref="BounceHandler"/>). Hard, unless its text gives a 4.x.x status or says the failure is temporary.
/// </summary>
internal static class PlainBounces
{
    private const int MaxText = 64 * 1024;

    private static readonly string[] DaemonSenders = ["mailer-daemon", "postmaster", "mail-daemon"];

    private static readonly string[] BounceSubjects =
    [
        "undeliver", "undelivered", "delivery status notification", "delivery failure", "delivery has failed", "mail delivery failed",
        "failure notice", "returned mail", "returned to sender", "could not be delivered", "non-delivery", "nondeliverable",
        "delivery problem", "delayed mail", "delivery delayed",
    ];

    private static readonly string[] AutoReplySubjects = ["out of office", "automatic reply", "auto reply", "autoreply", "auto:", "vacation", "away from"];

    private static readonly string[] Temporary =
        ["temporar", "try again", "will retry", "still trying", "deferred", "delayed", "not yet been delivered", "delivery attempts will continue"];

    public static BounceReport Read(MimeMessage message, IReadOnlyList<string> returnPaths, string? originalId)
    {
        if (!LooksLikeBounce(message)) return BounceReport.Ignored(returnPaths);

        var text = message.TextBody ?? message.HtmlBody ?? "";
        if (text.Length > MaxText) text = text[..MaxText];
        var statusCode = ReportParts.StatusCodeIn(text, anywhere: true);
        var action = ReportParts.ActionOf(statusCode) ?? (Temporary.Any(t => text.Contains(t, StringComparison.OrdinalIgnoreCase))
            ? BounceAction.Soft
            : BounceAction.Hard);
        // Free text names no recipient reliably: a plain bounce counts only through the signed address it came back to.
        return new BounceReport(action, statusCode, ReportParts.Clean(DiagnosticLine(text, statusCode)), null, returnPaths, originalId);
    }

    private static bool LooksLikeBounce(MimeMessage message)
    {
        var subject = message.Subject ?? "";
        if (AutoReplySubjects.Any(s => subject.Contains(s, StringComparison.OrdinalIgnoreCase))) return false;
        var from = message.From.Mailboxes.FirstOrDefault();
        var daemon = from is not null && (DaemonSenders.Any(d => from.LocalPart.Equals(d, StringComparison.OrdinalIgnoreCase))
                                          || (from.Name ?? "").Contains("Mail Delivery", StringComparison.OrdinalIgnoreCase));
        if (daemon) return true;
        // A vacation responder marks itself (RFC 3834, or the older vendor headers); a bounce titled so does not.
        if (message.Headers.Contains("X-Autoreply") || message.Headers.Contains("X-Autorespond")) return false;
        return BounceSubjects.Any(s => subject.Contains(s, StringComparison.OrdinalIgnoreCase));
    }

    // The line that holds the status code, or else the first line that says something.
    private static string? DiagnosticLine(string text, string? statusCode)
    {
        var lines = text.Split('\n', 200);
        if (statusCode is not null && lines.FirstOrDefault(l => l.Contains(statusCode, StringComparison.Ordinal)) is { } withCode)
            return withCode;
        return lines.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l));
    }
}
