using Newsletter.Core.Data;
using Newsletter.Core.Security;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Replies;

/// <summary>What a reply's commands did: short lines for the reader, and the lines that were not applied with why.</summary>
public sealed record ReplyEffects(IReadOnlyList<string> Changes, IReadOnlyList<string> NotUnderstood, bool ReaderLeft = false);

/// <summary>
/// Applies a reader's commands through the same services as their links (the preferences form,
/// the feedback links, the unsubscribe link), so the rules and the consent records are the same.
/// Each command is checked on its own: a bad one is reported and the others still apply.
/// </summary>
public sealed partial class ReplyApplier(
    ReaderPreferencesService preferences, FeedbackService feedback, SubscriptionService subscriptions, SubscriberTokens tokens, ReplyStore store)
{
    private const int LongestShown = 80;

    public async Task<ReplyEffects> ApplyAsync(Subscriber reader, long digestId, ReplyRequest request, CancellationToken ct)
    {
        // A line of nothing but control characters shows as nothing: not worth a mention.
        var notUnderstood = request.NotUnderstood.Select(l => Shown(l)).Where(l => l.Length > 0).ToList();
        if (request.Commands.Any(c => c.Verb == ReplyVerb.Stop))
        {
            await subscriptions.UnsubscribeAsync(tokens.CreateUnsubscribe(reader.Id), new ConsentEvidence(ConsentSource.Reply, null, null), ct);
            return new ReplyEffects(["unsubscribed: no more digests"], notUnderstood);
        }

        var token = tokens.CreatePreferences(reader.Id, reader.ConsentVersion);
        var opened = await preferences.OpenAsync(token, ct);
        if (opened.View is not { } view) return new ReplyEffects([], notUnderstood, ReaderLeft: true);

        var changes = new List<string>();
        var wanted = new Wanted(view.Preferences);
        IReadOnlyList<NumberedPaper>? papers = null;
        foreach (var command in request.Commands)
        {
            switch (command.Verb)
            {
                case ReplyVerb.VoteUp or ReplyVerb.VoteDown:
                    papers ??= await store.PapersOfAsync(digestId, reader.Id, ct);
                    await VoteAsync(reader, command, papers, changes, notUnderstood, ct);
                    break;
                default:
                    var (edit, said) = wanted.Try(command);
                    if (edit.IsValid) changes.Add(said);
                    else notUnderstood.Add($"{Shown(command.Line)} ({edit.Describe()})");
                    break;
            }
        }

        if (wanted.Edit() is { } final)
        {
            var saved = await preferences.ChangeAsync(token, final.Changes, ct);
            if (saved.Outcome != ReaderLinkOutcome.Valid) return new ReplyEffects([], notUnderstood, ReaderLeft: true);
        }
        return new ReplyEffects(changes, notUnderstood);
    }

    private async Task VoteAsync(Subscriber reader, ReplyCommand command, IReadOnlyList<NumberedPaper> papers,
        List<string> changes, List<string> notUnderstood, CancellationToken ct)
    {
        var paper = papers.FirstOrDefault(p => p.Number == command.Number);
        if (paper is null)
        {
            notUnderstood.Add($"{Shown(command.Line)} (that digest has no paper #{command.Number})");
            return;
        }
        var up = command.Verb == ReplyVerb.VoteUp;
        var recorded = await feedback.RecordAsync(tokens.CreateFeedback(reader.Id, reader.ConsentVersion, paper.PaperId, up ? 1 : -1), ct);
        if (recorded.Outcome == ReaderLinkOutcome.Valid) changes.Add($"voted {(up ? "up" : "down")} #{paper.Number}: {Shown(paper.Title)}");
        else notUnderstood.Add($"{Shown(command.Line)} (the vote could not be recorded)");
    }

    /// <summary>Outside text quoted back: on one line, without control characters, spaces made one, shortened.</summary>
    public static string Shown(string text, int longest = LongestShown)
    {
        var clean = Whitespace().Replace(new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()), " ").Trim();
        return clean.Length > longest ? clean[..longest] + "…" : clean;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\s+")]
    private static partial System.Text.RegularExpressions.Regex Whitespace();

    /// <summary>The settings as the commands so far leave them; each command checked by <see cref="PreferenceEdit"/>.</summary>
    private sealed class Wanted(ReaderPreferences current)
    {
        private IReadOnlyList<string> _topics = current.Topics;
        private IReadOnlyList<string> _muted = current.MutedTopics;
        private DigestFrequency? _frequency;
        private int? _maxPapers;
        private bool _topicsChanged;

        public (PreferenceEdit Edit, string Said) Try(ReplyCommand command)
        {
            var edit = new PreferenceEdit();
            switch (command.Verb)
            {
                case ReplyVerb.More or ReplyVerb.Less:
                    var phrase = command.Text!;
                    var more = command.Verb == ReplyVerb.More;
                    // A topic is followed or muted, not both: adding it to one list takes it off the other.
                    var into = (more ? _topics : _muted).Where(t => !Same(t, phrase)).Append(phrase).ToList();
                    var from = (more ? _muted : _topics).Where(t => !Same(t, phrase)).ToList();
                    edit.Topics(more ? into : from).MutedTopics(more ? from : into);
                    if (!edit.IsValid) return (edit, "");
                    (_topics, _muted, _topicsChanged) = (edit.Changes.Topics!, edit.Changes.MutedTopics!, true);
                    var shown = Shown(phrase);
                    return (edit, more ? $"added topic: {shown}" : $"muted topic: {shown}");
                case ReplyVerb.Daily or ReplyVerb.Weekly:
                    var daily = command.Verb == ReplyVerb.Daily;
                    _frequency = daily ? DigestFrequency.Daily : DigestFrequency.Weekly;
                    return (edit, daily ? "now daily" : "now weekly");
                case ReplyVerb.Papers:
                    edit.MaxPapers(command.Number);
                    if (edit.IsValid) _maxPapers = command.Number;
                    return (edit, $"papers per digest: {command.Number}");
                default:
                    return (edit.Invalid("command", "not a setting."), "");
            }
        }

        /// <summary>Everything the commands changed, as one edit; null when they changed no setting.</summary>
        public PreferenceEdit? Edit()
        {
            if (!_topicsChanged && _frequency is null && _maxPapers is null) return null;
            var edit = new PreferenceEdit();
            if (_topicsChanged) edit.Topics(_topics).MutedTopics(_muted);
            if (_frequency is { } frequency) edit.Frequency(frequency.ToStored());
            if (_maxPapers is { } count) edit.MaxPapers(count);
            return edit;
        }

        private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
    }
}
