using MimeKit;

namespace Newsletter.Core.Bounces;

/// <summary>
/// RFC 3464 delivery status reports: one group of fields per recipient. Failed with 5.x.x is hard,
/// 4.x.x or delayed is soft, delivered, relayed and expanded are news, not bounces.
/// </summary>
internal static class DeliveryStatusReports
{
    private const int MaxRecipients = 32;

    public static BounceReport Read(MessageDeliveryStatus status, IReadOnlyList<string> returnPaths, string? originalId)
    {
        BounceReport? worst = null;
        // Group 0 is about the message; the ones after it are each about one recipient.
        foreach (var group in GroupsOf(status).Skip(1).Take(MaxRecipients))
        {
            var statusCode = ReportParts.StatusCodeIn(BounceClassifier.Field(group, "Status"));
            var action = ActionOf(BounceClassifier.Field(group, "Action")?.ToLowerInvariant(), statusCode);
            if (worst is not null && Severity(action) <= Severity(worst.Action)) continue;
            var recipient = ReportParts.AddressOf(BounceClassifier.Field(group, "Final-Recipient"))
                            ?? ReportParts.AddressOf(BounceClassifier.Field(group, "Original-Recipient"));
            var diagnostic = BounceClassifier.Field(group, "Diagnostic-Code");
            diagnostic = diagnostic is null ? null : diagnostic[(diagnostic.IndexOf(';') + 1)..];
            worst = new BounceReport(action, statusCode, ReportParts.Clean(diagnostic), recipient, returnPaths, originalId);
        }
        return worst ?? BounceReport.Ignored(returnPaths);
    }

    public static IReadOnlyList<HeaderList> GroupsOf(MessageDeliveryStatus status)
    {
        try
        {
            return status.StatusGroups.ToList();
        }
        catch (Exception e) when (e is FormatException or ParseException or IOException)
        {
            return [];
        }
    }

    private static BounceAction ActionOf(string? action, string? statusCode) => action switch
    {
        "failed" => ReportParts.ActionOf(statusCode) ?? BounceAction.Hard,
        "delayed" => BounceAction.Soft,
        "delivered" or "relayed" or "expanded" => BounceAction.Ignored,
        // No action named: the status alone decides, and a success or nothing is no bounce.
        _ => ReportParts.ActionOf(statusCode) ?? BounceAction.Ignored,
    };

    private static int Severity(BounceAction action) => action switch
    {
        BounceAction.Hard => 2,
        BounceAction.Soft => 1,
        _ => 0,
    };
}
