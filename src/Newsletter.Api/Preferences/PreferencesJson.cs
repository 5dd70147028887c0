using System.Text.Json;
using Newsletter.Core.Data;
using Newsletter.Core.Subscribers;
using F = Newsletter.Core.Subscribers.PreferenceFields;

namespace Newsletter.Api.Preferences;

/// <summary>The contract's JSON for a reader's preferences; <see cref="MaxPapers"/> is the number they get, theirs or the default.</summary>
public sealed record PreferencesResponse(
    string Email, string Frequency, string Weekday, int MaxPapers, IReadOnlyList<string> Topics, IReadOnlyList<string> MutedTopics,
    bool RequireCode, int? SendHour, string? TimeZone, IReadOnlyList<VoteResponse> Votes)
{
    public static PreferencesResponse Of(ReaderView view)
    {
        var p = view.Preferences;
        return new(view.Reader.Email, p.Frequency.ToStored(), p.Weekday.ToStored(), view.MaxPapers, p.Topics, p.MutedTopics,
            p.RequireCode, p.SendHour, p.TimeZone, view.Votes.Select(v => new VoteResponse(v.PaperId, v.Vote)).ToArray());
    }
}

/// <summary>
/// What a PATCH body may hold, for the OpenAPI description: every field optional; a null sets it
/// back to the default. The body itself is read by <see cref="PreferencesJson.ReadPatch"/>.
/// </summary>
public sealed record PreferencesPatch
{
    public string? Frequency { get; init; }
    public string? Weekday { get; init; }
    public int? MaxPapers { get; init; }
    public IReadOnlyList<string>? Topics { get; init; }
    public IReadOnlyList<string>? MutedTopics { get; init; }
    public bool? RequireCode { get; init; }
    public int? SendHour { get; init; }
    public string? TimeZone { get; init; }
}

/// <summary>One vote: the paper's arXiv id and +1 ("more like this") or -1 ("less like this").</summary>
public sealed record VoteResponse(string Paper, int Vote);

/// <summary>
/// Reads a PATCH body field by field, so that a change can be told from a field left out and a null
/// (back to the default) from both; every field that is wrong, unknown or not changeable is named.
/// </summary>
public static class PreferencesJson
{
    private static readonly string[] Changeable = [F.Frequency, F.Weekday, F.MaxPapers, F.Topics, F.MutedTopics, F.RequireCode, F.SendHour, F.TimeZone];
    private const int LongestNameShown = 64;

    public static PreferenceEdit ReadPatch(JsonElement body)
    {
        var edit = new PreferenceEdit();
        if (body.ValueKind != JsonValueKind.Object)
            return edit.Invalid("body", "must be a JSON object holding the settings to change.");

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var property in body.EnumerateObject())
            {
                var name = Changeable.FirstOrDefault(f => string.Equals(f, property.Name, StringComparison.OrdinalIgnoreCase));
                if (!seen.Add(property.Name)) edit.Invalid(name ?? Shown(property.Name), "is given more than once.");
                else if (name is null) Refuse(edit, property.Name);
                else Read(edit, name, property.Value);
            }
        }
        catch (InvalidOperationException)
        {
            // A property name that is not valid Unicode.
            edit.Invalid("body", "holds text that is not valid Unicode.");
        }
        return edit;
    }

    private static void Read(PreferenceEdit edit, string name, JsonElement value)
    {
        switch (name)
        {
            case F.Frequency: edit.Frequency(Text(value)); break;
            case F.Weekday: edit.Weekday(Text(value)); break;
            case F.MaxPapers: Number(edit, name, value, edit.MaxPapers); break;
            case F.SendHour: Number(edit, name, value, edit.SendHour); break;
            case F.Topics: edit.Topics(List(value)); break;
            case F.MutedTopics: edit.MutedTopics(List(value)); break;
            case F.RequireCode: edit.RequireCode(value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null); break;
            case F.TimeZone:
                if (value.ValueKind == JsonValueKind.Null) edit.TimeZone(null);
                else if (Text(value) is { } zone) edit.TimeZone(zone);
                else edit.Invalid(name, "must be an IANA time zone name as a string, or null.");
                break;
        }
    }

    private static void Refuse(PreferenceEdit edit, string name)
    {
        if (string.Equals(name, F.Email, StringComparison.OrdinalIgnoreCase))
            edit.Invalid(F.Email, "cannot be changed here: subscribe with the new address and unsubscribe the old one.");
        else if (string.Equals(name, F.Votes, StringComparison.OrdinalIgnoreCase))
            edit.Invalid(F.Votes, "cannot be set here: votes come from the links in the digest, and are removed on the preferences page.");
        else
            edit.Invalid(Shown(name), $"is not a setting; the settings are {string.Join(", ", Changeable)}.");
    }

    private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? StringOf(value) : null;

    // A string that is not valid Unicode (a lone surrogate escape, bytes that are not UTF-8) reads as
    // no string, so the field is refused with 400 rather than failing the request.
    private static string? StringOf(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A whole number, or null for the default; anything else is refused under the field's name.</summary>
    private static void Number(PreferenceEdit edit, string name, JsonElement value, Func<int?, PreferenceEdit> set)
    {
        if (value.ValueKind == JsonValueKind.Null) set(null);
        else if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) set(number);
        else edit.Invalid(name, "must be a whole number, or null for the default.");
    }

    /// <summary>The strings of an array (a non-string entry as null, which the edit refuses); null when it is no array.</summary>
    private static List<string?>? List(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? StringOf(e) : null).ToList()
            : null;

    private static string Shown(string name)
    {
        var clean = new string(name.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length > LongestNameShown ? clean[..LongestNameShown] + "…" : clean;
    }
}
