using MimeKit;

namespace Newsletter.Core.Bounces;

/// <summary>
/// Reads a returned mail: an RFC 5965 complaint (ARF), an RFC 3464 delivery status report, or a
/// plain bounce text. Pure reading, no look-ups: <see cref="BounceHandler"/> decides whom it is
/// about and what it changes.
/// </summary>
public static class BounceClassifier
{
    // Where a bounce carries the address it was sent to: ours, bounces+TOKEN@domain.
    private static readonly string[] EnvelopeHeaders = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To", "Return-Path"];

    public static BounceReport Read(MimeMessage message)
    {
        var original = ReportParts.OriginalHeaders(message.Body);
        var feedback = ReportParts.Find<MessageFeedbackReport>(message.Body);
        var status = feedback is null ? ReportParts.Find<MessageDeliveryStatus>(message.Body) : null;

        var returnPaths = ReportParts.ReturnPathsIn([
            .. EnvelopeHeaders.SelectMany(h => message.Headers.Where(x => x.Field.Equals(h, StringComparison.OrdinalIgnoreCase)).Take(4)).Select(x => x.Value),
            .. feedback is null ? [] : new[] { Field(feedback.Fields, "Original-Mail-From") },
            .. status is null ? [] : PerMessageFields(status),
            original?[HeaderId.ReturnPath],
        ]);
        var originalId = Bounded(original?[HeaderId.MessageId]);

        if (feedback is not null) return FeedbackReports.Read(feedback, original, returnPaths, originalId);
        if (status is not null) return DeliveryStatusReports.Read(status, returnPaths, originalId);
        return PlainBounces.Read(message, returnPaths, originalId);
    }

    internal static string? Field(HeaderList? fields, string name)
    {
        var value = fields?[name];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    // The sender as the reporting server knew it (Postfix writes X-Postfix-Sender: rfc822; ADDRESS).
    private static IEnumerable<string?> PerMessageFields(MessageDeliveryStatus status)
    {
        var groups = DeliveryStatusReports.GroupsOf(status);
        return groups.Count == 0 ? [] : groups[0].Where(h => h.Field.EndsWith("-Sender", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);
    }

    private static string? Bounded(string? value) => value is { Length: > 0 and <= 250 } ? value.Trim() : null;
}
