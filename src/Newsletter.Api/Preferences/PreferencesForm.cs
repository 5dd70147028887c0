using System.Globalization;
using Newsletter.Core.Subscribers;
using F = Newsletter.Core.Subscribers.PreferenceFields;

namespace Newsletter.Api.Preferences;

/// <summary>
/// Reads the preferences page's form. A field that is not in the form stays as it is; an empty number
/// or zone is "the default"; topics are one per line (or separated by commas). The code checkbox comes
/// with a hidden <c>false</c> before it, so an unticked box is a change too.
/// </summary>
public static class PreferencesForm
{
    /// <summary>The field of the small forms beside each vote.</summary>
    public const string RemoveVote = "removeVote";

    private static readonly char[] TopicSeparators = ['\n', ','];

    public static PreferenceEdit Read(IFormCollection form)
    {
        var edit = new PreferenceEdit();
        if (Given(form, F.Frequency) is { } frequency) edit.Frequency(frequency);
        if (Given(form, F.Weekday) is { } weekday) edit.Weekday(weekday);
        if (Given(form, F.MaxPapers) is { } maxPapers) Number(edit, F.MaxPapers, maxPapers, edit.MaxPapers);
        if (Given(form, F.SendHour) is { } sendHour) Number(edit, F.SendHour, sendHour, edit.SendHour);
        if (Given(form, F.Topics) is { } topics) edit.Topics(Topics(topics));
        if (Given(form, F.MutedTopics) is { } muted) edit.MutedTopics(Topics(muted));
        if (Given(form, F.TimeZone) is { } zone) edit.TimeZone(zone.Trim().Length == 0 ? null : zone);
        if (Given(form, F.RequireCode) is { } requireCode)
            edit.RequireCode(requireCode.Trim().ToLowerInvariant() switch { "true" or "on" => true, "false" => false, _ => null });
        return edit;
    }

    /// <summary>What the reader typed in each field of the form, to show again when it is refused.</summary>
    public static IReadOnlyDictionary<string, string> Typed(IFormCollection form) =>
        new[] { F.Frequency, F.Weekday, F.MaxPapers, F.SendHour, F.Topics, F.MutedTopics, F.TimeZone, F.RequireCode }
            .Select(field => (field, value: Given(form, field)))
            .Where(f => f.value is not null)
            .ToDictionary(f => f.field, f => f.value!, StringComparer.Ordinal);

    /// <summary>The field's last value (a ticked checkbox follows its hidden default), or null when the form does not hold it.</summary>
    private static string? Given(IFormCollection form, string field) =>
        form.TryGetValue(field, out var values) && values.Count > 0 ? values[^1] ?? "" : null;

    private static void Number(PreferenceEdit edit, string field, string text, Func<int?, PreferenceEdit> set)
    {
        if (text.Trim().Length == 0) set(null);
        else if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)) set(number);
        else edit.Invalid(field, "must be a whole number, or empty for the default.");
    }

    private static IEnumerable<string> Topics(string text) =>
        text.Split(TopicSeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
