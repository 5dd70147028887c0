using MimeKit;

namespace Newsletter.Core.Bounces;

/// <summary>
/// Replies to digests, which arrive in the same mailbox as returned mail (or one read the same way):
/// a message addressed to a reply address goes here instead of to the bounce classifier.
/// </summary>
public interface IMailboxReplies
{
    /// <summary>False, having done nothing, when the message is not addressed to a reply address.</summary>
    Task<bool> TryHandleAsync(MimeMessage message, CancellationToken ct);
}
