namespace Newsletter.Core.Subscribers;

/// <summary>
/// The preferences page (templates/pages/Preferences.cshtml). <see cref="ShownEmail"/> is the
/// address masked, since the link travels with every digest; <see cref="Saved"/> is set right
/// after a save, <see cref="Errors"/> after a refused one (then nothing was saved, and the form
/// shows what the reader typed, <see cref="Typed"/>, so that one wrong field does not cost them the rest).
/// </summary>
public sealed record PreferencesPage(
    string SenderName, string PostalAddress, ReaderView Reader, string ShownEmail,
    bool Saved = false, IDictionary<string, string[]>? Errors = null, IReadOnlyDictionary<string, string>? Typed = null)
{
    /// <summary>The field's text as typed in a refused form, or else as stored.</summary>
    public string? Text(string field, string? stored) => Typed is not null && Typed.TryGetValue(field, out var typed) ? typed : stored;

    /// <summary>Whether an option (or the checkbox, "true") is chosen: as typed in a refused form, or else as stored.</summary>
    public bool Chosen(string field, string option, bool stored) =>
        Typed is not null && Typed.TryGetValue(field, out var typed) ? string.Equals(typed, option, StringComparison.OrdinalIgnoreCase) : stored;

    public static IReadOnlyList<DayOfWeek> Week { get; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    public string Action => "/preferences?token=" + Uri.EscapeDataString(Reader.Token);

    /// <summary>"Download my data": everything held about the reader, as a JSON file.</summary>
    public string ExportLink => "/api/me/export?token=" + Uri.EscapeDataString(Reader.Token);

    /// <summary>"Delete me": a page that asks once more before erasing.</summary>
    public string EraseLink => "/me/erase?token=" + Uri.EscapeDataString(Reader.Token);

    public static string Lower<TEnum>(TEnum value) where TEnum : struct, Enum => Data.StoredText.ToStored(value);
}

/// <summary>The page behind a "More like this" / "Less like this" link: one button, nothing recorded yet.</summary>
public sealed record FeedbackPage(string SenderName, string PostalAddress, string PaperTitle, int Vote, string Token)
{
    public string Action => "/feedback?token=" + Uri.EscapeDataString(Token);
}
