using System.Data.Common;
using Dapper;
using Newsletter.Core.Data;

namespace Newsletter.Core.Subscribers;

/// <summary>A reader's own settings, kept in their subscriber row.</summary>
public sealed partial class SubscriberStore
{
    private const string PreferenceColumns = "frequency, weekday, max_papers, topics, muted_topics, require_code, send_hour, time_zone";

    private const string PreferencesById = $"SELECT {PreferenceColumns} FROM subscribers WHERE id = @id";

    // The link's subscription must still be the current one, and the reader still on the list.
    private const string PreferencesOfCurrentReader = $"""
        SELECT {PreferenceColumns} FROM subscribers
        WHERE id = @id AND consent_version = @version AND status IN ('pending', 'active')
        """;

    private const string UpdatePreferences = """
        UPDATE subscribers
        SET frequency = @frequency, weekday = @weekday, max_papers = @maxPapers, topics = @topics, muted_topics = @mutedTopics,
            require_code = @requireCode, send_hour = @sendHour, time_zone = @timeZone, updated_at = @now
        WHERE id = @id
        """;

    /// <summary>The reader's settings as stored (a null <see cref="ReaderPreferences.MaxPapers"/> is the service's default); null for no such subscriber.</summary>
    public async Task<ReaderPreferences?> PreferencesAsync(long subscriberId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QuerySingleOrDefaultAsync<PreferencesRow>(
            new CommandDefinition(PreferencesById, new { id = subscriberId }, cancellationToken: ct)))?.ToPreferences();
    }

    /// <summary>
    /// Applies the changes in one transaction, if the subscription <paramref name="consentVersion"/>
    /// is still the reader's and they are pending or active; returns the settings now stored, or null
    /// (nothing changed) when the reader left or subscribed again since.
    /// </summary>
    public async Task<ReaderPreferences?> ChangePreferencesAsync(
        long subscriberId, long consentVersion, PreferenceChanges changes, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await BeginImmediateAsync(connection, ct);
        var row = await connection.QuerySingleOrDefaultAsync<PreferencesRow>(new CommandDefinition(PreferencesOfCurrentReader,
            new { id = subscriberId, version = consentVersion }, tx, cancellationToken: ct));
        if (row is null) return null;
        var saved = changes.ApplyTo(row.ToPreferences());
        await WritePreferencesAsync(connection, tx, subscriberId, saved, clock.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return saved;
    }

    /// <summary>Inside a subscription's transaction: the given settings replace the stored ones, the rest stay.</summary>
    private static async Task ApplyPreferencesAsync(
        DbConnection connection, DbTransaction tx, long id, PreferenceChanges changes, DateTimeOffset now, CancellationToken ct)
    {
        if (changes.IsEmpty) return;
        var row = await connection.QuerySingleAsync<PreferencesRow>(new CommandDefinition(PreferencesById, new { id }, tx, cancellationToken: ct));
        await WritePreferencesAsync(connection, tx, id, changes.ApplyTo(row.ToPreferences()), now, ct);
    }

    private static Task WritePreferencesAsync(
        DbConnection connection, DbTransaction tx, long id, ReaderPreferences preferences, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(UpdatePreferences, new
        {
            id,
            frequency = preferences.Frequency.ToStored(),
            weekday = preferences.Weekday.ToStored(),
            maxPapers = preferences.MaxPapers,
            topics = StoredTopics.Format(preferences.Topics),
            mutedTopics = StoredTopics.Format(preferences.MutedTopics),
            requireCode = preferences.RequireCode ? 1 : 0,
            sendHour = preferences.SendHour,
            timeZone = preferences.TimeZone,
            now,
        }, tx, cancellationToken: ct));

    private sealed class PreferencesRow
    {
        public string Frequency { get; init; } = "";
        public string Weekday { get; init; } = "";
        public long? MaxPapers { get; init; }
        public string? Topics { get; init; }
        public string? MutedTopics { get; init; }
        public long RequireCode { get; init; }
        public long? SendHour { get; init; }
        public string? TimeZone { get; init; }

        public ReaderPreferences ToPreferences() => new(
            StoredText.TryParse<DigestFrequency>(Frequency, out var frequency) ? frequency : ReaderPreferences.Default.Frequency,
            StoredText.TryParse<DayOfWeek>(Weekday, out var weekday) ? weekday : ReaderPreferences.Default.Weekday,
            (int?)MaxPapers,
            StoredTopics.Parse(Topics),
            StoredTopics.Parse(MutedTopics),
            RequireCode != 0,
            (int?)SendHour,
            TimeZone);
    }
}
