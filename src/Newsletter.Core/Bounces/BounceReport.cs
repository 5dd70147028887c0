namespace Newsletter.Core.Bounces;

/// <summary>
/// What one returned mail says, as read, nothing of it trusted yet: its kind, the status code and
/// the server's words, the recipient the report names, the <c>bounces+TOKEN@</c> addresses found
/// in it (to be verified), and the Message-ID of the original when it came back attached.
/// </summary>
public sealed record BounceReport(
    BounceAction Action,
    string? StatusCode,
    string? Diagnostic,
    string? Recipient,
    IReadOnlyList<string> ReturnPaths,
    string? OriginalMessageId)
{
    public static BounceReport Ignored(IReadOnlyList<string> returnPaths) => new(BounceAction.Ignored, null, null, null, returnPaths, null);
}
