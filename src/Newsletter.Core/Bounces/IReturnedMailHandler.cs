using MimeKit;

namespace Newsletter.Core.Bounces;

public enum BounceAction { Hard, Soft, Complaint, Ignored }

/// <summary>What one returned message did: its kind and whose address it was about (null when unknown).</summary>
public sealed record BounceResult(BounceAction Action, string? Email);

/// <summary>
/// Handles one returned mail as received (a delivery status report, a complaint, a plain bounce):
/// the admin endpoint and the mailbox job both hand messages here.
/// </summary>
public interface IReturnedMailHandler
{
    Task<BounceResult> HandleAsync(MimeMessage message, CancellationToken ct);
}
