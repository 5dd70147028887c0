namespace Newsletter.Core.Data;

/// <summary>
/// The one place where states become the text the database keeps and back. Values are the enum
/// names in lower case, "one-click" being the one kebab-cased name; SQL compares against these.
/// </summary>
public static class StoredText
{
    /// <summary>The stored text: the name in lower case, words joined by '-' ("OneClick" is "one-click").</summary>
    public static string ToStored<TEnum>(this TEnum value) where TEnum : struct, Enum => Names<TEnum>.Stored[value];

    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        value = default;
        return text is not null && Names<TEnum>.Parsed.TryGetValue(text, out value);
    }

    public static IEnumerable<string> AllOf<TEnum>() where TEnum : struct, Enum => Enum.GetValues<TEnum>().Select(v => v.ToStored());

    /// <summary>Lets Dapper read the column into the enum; each store registers the states it reads.</summary>
    public static void Register<TEnum>() where TEnum : struct, Enum => Dapper.SqlMapper.AddTypeHandler(new Handler<TEnum>());

    private static class Names<TEnum> where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> Stored = Enum.GetValues<TEnum>().ToDictionary(v => v, v =>
            System.Text.RegularExpressions.Regex.Replace(v.ToString(), "(?<=[a-z])(?=[A-Z])", "-").ToLowerInvariant());

        // Read for every ledger row of a send: a look-up, not a scan of the values.
        public static readonly Dictionary<string, TEnum> Parsed = Stored.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }

    private sealed class Handler<TEnum> : Dapper.SqlMapper.TypeHandler<TEnum> where TEnum : struct, Enum
    {
        public override void SetValue(System.Data.IDbDataParameter parameter, TEnum value) => parameter.Value = value.ToStored();

        public override TEnum Parse(object value) =>
            TryParse<TEnum>(value as string, out var parsed) ? parsed : throw new FormatException($"'{value}' is not a stored {typeof(TEnum).Name}.");
    }
}
