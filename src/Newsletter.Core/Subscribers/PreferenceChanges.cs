namespace Newsletter.Core.Subscribers;

/// <summary>A value a reader gave for a setting that may also be reset: <c>new Change&lt;int?&gt;(null)</c> is "back to the default".</summary>
public readonly record struct Change<T>(T Value);

/// <summary>
/// What a reader asked to change, already checked (see <see cref="PreferenceEdit"/>). A null property
/// was not given and stays as it is.
/// </summary>
public sealed record PreferenceChanges
{
    public static PreferenceChanges None { get; } = new();

    public DigestFrequency? Frequency { get; init; }
    public DayOfWeek? Weekday { get; init; }
    public Change<int?>? MaxPapers { get; init; }
    public IReadOnlyList<string>? Topics { get; init; }
    public IReadOnlyList<string>? MutedTopics { get; init; }
    public bool? RequireCode { get; init; }
    public Change<int?>? SendHour { get; init; }
    public Change<string?>? TimeZone { get; init; }

    public bool IsEmpty => this == None;

    public ReaderPreferences ApplyTo(ReaderPreferences current) => current with
    {
        Frequency = Frequency ?? current.Frequency,
        Weekday = Weekday ?? current.Weekday,
        MaxPapers = MaxPapers is { } maxPapers ? maxPapers.Value : current.MaxPapers,
        Topics = Topics ?? current.Topics,
        MutedTopics = MutedTopics ?? current.MutedTopics,
        RequireCode = RequireCode ?? current.RequireCode,
        SendHour = SendHour is { } sendHour ? sendHour.Value : current.SendHour,
        TimeZone = TimeZone is { } zone ? zone.Value : current.TimeZone,
    };
}

/// <summary>The names of the settings, as the JSON, the form and every error message spell them.</summary>
public static class PreferenceFields
{
    public const string Email = "email";
    public const string Frequency = "frequency";
    public const string Weekday = "weekday";
    public const string MaxPapers = "maxPapers";
    public const string Topics = "topics";
    public const string MutedTopics = "mutedTopics";
    public const string RequireCode = "requireCode";
    public const string SendHour = "sendHour";
    public const string TimeZone = "timeZone";
    public const string Votes = "votes";
}
