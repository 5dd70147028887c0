using MimeKit;

namespace Newsletter.Core.Bounces;

/// <summary>
/// RFC 5965 feedback reports (ARF), which mailbox providers send when a reader marks a message as
/// spam. Only Feedback-Type abuse is a complaint; the other types (fraud, virus, not-spam, ...)
/// say nothing about the reader's wish.
/// </summary>
internal static class FeedbackReports
{
    public static BounceReport Read(MessageFeedbackReport report, HeaderList? original, IReadOnlyList<string> returnPaths, string? originalId)
    {
        var type = BounceClassifier.Field(report.Fields, "Feedback-Type");
        if (!string.Equals(type, "abuse", StringComparison.OrdinalIgnoreCase)) return BounceReport.Ignored(returnPaths);
        // Providers often redact the original's To; Original-Rcpt-To is the field meant for it.
        var recipient = ReportParts.AddressOf(BounceClassifier.Field(report.Fields, "Original-Rcpt-To"))
                        ?? ReportParts.FirstMailbox(original, HeaderId.To);
        var agent = BounceClassifier.Field(report.Fields, "User-Agent");
        return new BounceReport(BounceAction.Complaint, null, ReportParts.Clean(agent is null ? "abuse report" : $"abuse report by {agent}"),
            recipient, returnPaths, originalId);
    }
}
