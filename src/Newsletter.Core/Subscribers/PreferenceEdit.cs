using System.Text.RegularExpressions;
using Newsletter.Core.Data;

namespace Newsletter.Core.Subscribers;

/// <summary>
/// Checks what a reader sent, field by field, and collects every problem under the field's name
/// before anything is stored: an edit with one bad value changes nothing. The JSON, the form and
/// the sign-up all go through here, so they accept exactly the same values.
/// </summary>
public sealed partial class PreferenceEdit
{
    public const int MostPapers = 30;
    public const int MostTopics = 20;
    public const int ShortestTopic = 2;
    public const int LongestTopic = 64;
    private const int LongestZoneId = 64;

    // Zones the tz database keeps for its own tooling, not places anyone lives.
    private static readonly string[] NotPlaces = ["Factory", "posixrules", "localtime", "Local"];

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private PreferenceChanges _changes = PreferenceChanges.None;

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>The checked changes; only when <see cref="IsValid"/>.</summary>
    public PreferenceChanges Changes => IsValid ? _changes : throw new InvalidOperationException("The edit has errors: " + Describe());

    public string Describe() => string.Join(" ", _errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")));

    public PreferenceEdit Invalid(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages)) _errors[field] = messages = [];
        messages.Add(message);
        return this;
    }

    public PreferenceEdit Frequency(string? text) =>
        StoredText.TryParse<DigestFrequency>(text?.Trim().ToLowerInvariant(), out var frequency)
            ? Set(_changes with { Frequency = frequency })
            : Invalid(PreferenceFields.Frequency, $"must be one of {string.Join(", ", StoredText.AllOf<DigestFrequency>())}.");

    public PreferenceEdit Weekday(string? text) =>
        StoredText.TryParse<DayOfWeek>(text?.Trim().ToLowerInvariant(), out var day)
            ? Set(_changes with { Weekday = day })
            : Invalid(PreferenceFields.Weekday, "must be a day of the week in English: monday to sunday.");

    /// <summary>Null: the service's default number.</summary>
    public PreferenceEdit MaxPapers(int? count) =>
        count is null or (>= 1 and <= MostPapers)
            ? Set(_changes with { MaxPapers = new Change<int?>(count) })
            : Invalid(PreferenceFields.MaxPapers, $"must be a whole number from 1 to {MostPapers}, or null for the default.");

    public PreferenceEdit Topics(IEnumerable<string?>? topics) =>
        CleanTopics(PreferenceFields.Topics, topics) is { } clean ? Set(_changes with { Topics = clean }) : this;

    public PreferenceEdit MutedTopics(IEnumerable<string?>? topics) =>
        CleanTopics(PreferenceFields.MutedTopics, topics) is { } clean ? Set(_changes with { MutedTopics = clean }) : this;

    public PreferenceEdit RequireCode(bool? required) =>
        required is { } value
            ? Set(_changes with { RequireCode = value })
            : Invalid(PreferenceFields.RequireCode, "must be true or false.");

    /// <summary>Null: with everyone else, at the service's hour.</summary>
    public PreferenceEdit SendHour(int? hour) =>
        hour is null or (>= 0 and <= 23)
            ? Set(_changes with { SendHour = new Change<int?>(hour) })
            : Invalid(PreferenceFields.SendHour, "must be an hour from 0 to 23, or null for the service's hour.");

    /// <summary>An IANA zone such as Europe/Berlin, kept in its canonical spelling; null: the service's zone.</summary>
    public PreferenceEdit TimeZone(string? id)
    {
        if (id is null) return Set(_changes with { TimeZone = new Change<string?>(null) });
        return IanaZone(id.Trim()) is { } zone
            ? Set(_changes with { TimeZone = new Change<string?>(zone) })
            : Invalid(PreferenceFields.TimeZone, "must be an IANA time zone such as Europe/Berlin or America/New_York, or null for the service's zone.");
    }

    /// <summary>
    /// The zone's id as the tz database spells it. A Windows name is refused even where ICU could map
    /// it (then the zone has no IANA id), so the stored id means the same on every host. The zone
    /// files are looked up by exact name, so another spelling is matched against the known ids.
    /// </summary>
    private static string? IanaZone(string id)
    {
        if (id.Length is 0 or > LongestZoneId || NotPlaces.Contains(id, StringComparer.OrdinalIgnoreCase)) return null;
        if (System.TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)) return zone.HasIanaId ? zone.Id : null;
        return System.TimeZoneInfo.GetSystemTimeZones().FirstOrDefault(z => z.HasIanaId && string.Equals(z.Id, id, StringComparison.OrdinalIgnoreCase))?.Id;
    }

    private PreferenceEdit Set(PreferenceChanges changes)
    {
        _changes = changes;
        return this;
    }

    /// <summary>
    /// Trimmed, inner whitespace (line breaks too) made one space, so a topic is a phrase on one line;
    /// duplicates differing only in case dropped, the first spelling kept.
    /// </summary>
    private IReadOnlyList<string>? CleanTopics(string field, IEnumerable<string?>? topics)
    {
        if (topics is null)
        {
            Invalid(field, "must be a list of words or phrases; an empty list clears it.");
            return null;
        }
        var clean = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var refused = 0;
        foreach (var topic in topics)
        {
            var text = topic is null ? "" : Whitespace().Replace(topic.Trim(), " ");
            if (text.Length is < ShortestTopic or > LongestTopic || text.Any(char.IsControl))
            {
                // A few examples tell the reader what is wrong; thousands would only make the answer large.
                if (++refused <= 3)
                    Invalid(field, $"each entry must be {ShortestTopic} to {LongestTopic} characters of text: '{Shown(topic)}' is not.");
            }
            else if (seen.Add(text)) clean.Add(text);
            if (clean.Count > MostTopics)
            {
                Invalid(field, $"at most {MostTopics} different entries.");
                return null;
            }
        }
        return refused == 0 ? clean : null;
    }

    /// <summary>A refused value, quoted back in a message: shortened, and with no control character.</summary>
    private static string Shown(string? value)
    {
        var text = new string((value ?? "").Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return text.Length > LongestTopic + 8 ? text[..(LongestTopic + 8)] + "…" : text;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
