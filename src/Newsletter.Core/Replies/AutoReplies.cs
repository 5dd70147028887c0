using MimeKit;

namespace Newsletter.Core.Replies;

/// <summary>
/// Mail a program sent in the reader's name (out of office, vacation, a ticket system): it changes
/// nothing and is not answered, or two robots would answer each other.
/// </summary>
public static class AutoReplies
{
    private static readonly string[] Subjects =
        ["out of office", "automatic reply", "auto reply", "autoreply", "auto-reply", "abwesenheit", "absence", "vacation", "away from"];

    /// <param name="hasCommands">A subject alone does not make an auto-reply of a mail that holds commands.</param>
    public static bool Is(MimeMessage message, bool hasCommands)
    {
        var headers = message.Headers;
        if (headers[HeaderId.AutoSubmitted] is { } submitted && !submitted.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase)) return true;
        if (headers.Contains("X-Autoreply") || headers.Contains("X-Autorespond")) return true;
        if (headers[HeaderId.Precedence] is { } precedence && precedence.Trim().ToLowerInvariant() is "auto_reply" or "bulk" or "junk" or "list") return true;
        var subject = message.Subject ?? "";
        return !hasCommands && Subjects.Any(s => subject.Contains(s, StringComparison.OrdinalIgnoreCase));
    }
}
