using System.Data;
using System.Globalization;
using Dapper;

namespace Newsletter.Core.Data;

/// <summary>
/// Timestamps are stored as sortable UTC text, so SQL can compare them, on PostgreSQL as on SQLite:
/// one set of queries and one mapping for both engines. The text is what Microsoft.Data.Sqlite wrote
/// for a DateTimeOffset before these handlers took over parameters ("2026-11-29 08:00:00.1234567+00:00"),
/// so existing SQLite files and databases copied from them compare the same as new rows.
/// </summary>
public static class DapperSetup
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        // Dapper consults its built-in type map before handlers: without these removals a
        // DateTimeOffset, DateOnly or bool goes to the driver as is, which Npgsql sends as
        // timestamptz, date or boolean, none comparable with the text and integer columns.
        foreach (var type in new[] { typeof(DateTimeOffset), typeof(DateTimeOffset?), typeof(DateOnly), typeof(DateOnly?), typeof(bool), typeof(bool?) })
            SqlMapper.RemoveTypeMap(type);
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new NullableDateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
        SqlMapper.AddTypeHandler(new BooleanHandler());
    }

    /// <summary>The stored text of a time (UTC).</summary>
    public static string Stored(DateTimeOffset value) =>
        value.ToUniversalTime().ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    /// <summary>ISO-8601 UTC with 'T' and 'Z', for files people read (the subscriber export).</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = Stored(value);

        public override DateTimeOffset Parse(object value) =>
            DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    private sealed class NullableDateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset?>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset? value) =>
            parameter.Value = value is { } v ? Stored(v) : DBNull.Value;

        public override DateTimeOffset? Parse(object value) => value is string s
            ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : null;
    }

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value) =>
            parameter.Value = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        public override DateOnly Parse(object value) =>
            DateOnly.ParseExact((string)value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>Flags are integer columns (0, 1) on both engines, as SQLite has no boolean.</summary>
    private sealed class BooleanHandler : SqlMapper.TypeHandler<bool>
    {
        public override void SetValue(IDbDataParameter parameter, bool value) => parameter.Value = value ? 1L : 0L;

        public override bool Parse(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0;
    }
}
