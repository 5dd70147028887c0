using System.Globalization;
using System.Text.RegularExpressions;

namespace Newsletter.Core.Replies;

public enum ReplyVerb { More, Less, Daily, Weekly, Papers, VoteUp, VoteDown, Stop }

/// <summary>One command a reader wrote: <see cref="Text"/> is the phrase of more/less, <see cref="Number"/> that of papers and votes.</summary>
public sealed record ReplyCommand(ReplyVerb Verb, string Line, string? Text = null, int Number = 0);

/// <summary>What a reply asks: the commands read, and the lines that were not one.</summary>
public sealed record ReplyRequest(IReadOnlyList<ReplyCommand> Commands, IReadOnlyList<string> NotUnderstood);

/// <summary>
/// Reads commands, one per line, case-insensitive, a trailing '.' ignored: <c>more: PHRASE</c>,
/// <c>less: PHRASE</c>, <c>daily</c>, <c>weekly</c>, <c>papers: N</c>, <c>+N</c>, <c>-N</c>,
/// <c>stop</c> or <c>unsubscribe</c>. Values are checked where they are applied, by the same rules as the links.
/// </summary>
public static partial class ReplyCommands
{
    public static ReplyRequest Read(IEnumerable<string> lines)
    {
        var commands = new List<ReplyCommand>();
        var notUnderstood = new List<string>();
        foreach (var raw in lines)
        {
            if (Parse(raw) is { } command) commands.Add(command);
            else notUnderstood.Add(raw);
        }
        return new ReplyRequest(commands, notUnderstood);
    }

    public static ReplyCommand? Parse(string raw)
    {
        var line = raw.Trim().TrimEnd('.').Trim();
        switch (line.ToLowerInvariant())
        {
            case "daily": return new(ReplyVerb.Daily, raw);
            case "weekly": return new(ReplyVerb.Weekly, raw);
            case "stop" or "unsubscribe": return new(ReplyVerb.Stop, raw);
        }
        var vote = Vote().Match(line);
        if (vote.Success && int.TryParse(vote.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var paper))
            return new(vote.Groups[1].Value == "+" ? ReplyVerb.VoteUp : ReplyVerb.VoteDown, raw, Number: paper);
        var named = Named().Match(line);
        if (!named.Success) return null;
        var value = named.Groups[2].Value.Trim();
        return named.Groups[1].Value.ToLowerInvariant() switch
        {
            "more" when value.Length > 0 => new(ReplyVerb.More, raw, value),
            "less" when value.Length > 0 => new(ReplyVerb.Less, raw, value),
            // Any number is read, so that "papers: 99" is answered with the allowed range.
            "papers" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) => new(ReplyVerb.Papers, raw, Number: count),
            _ => null,
        };
    }

    [GeneratedRegex(@"^([+-])\s?#?(\d{1,3})$")]
    private static partial Regex Vote();

    [GeneratedRegex(@"^(more|less|papers)\s*:(.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex Named();
}
