using Newsletter.Core.Digests;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Data;

/// <summary>
/// The one place where states become the text the database keeps and back. Values are the enum
/// names in lower case, "one-click" being the one kebab-cased name; SQL compares against these.
/// </summary>
public static class StoredText
{
    public static string ToStored<TEnum>(this TEnum value) where TEnum : struct, Enum => value switch
    {
        ConsentSource.OneClick => "one-click",
        _ => value.ToString().ToLowerInvariant(),
    };

    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        value = default;
        if (string.IsNullOrEmpty(text)) return false;
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (!string.Equals(candidate.ToStored(), text, StringComparison.Ordinal)) continue;
            value = candidate;
            return true;
        }
        return false;
    }

    public static IEnumerable<string> AllOf<TEnum>() where TEnum : struct, Enum => Enum.GetValues<TEnum>().Select(v => v.ToStored());

    /// <summary>Dapper reads these columns into the enums through these handlers.</summary>
    internal static void Register()
    {
        Dapper.SqlMapper.AddTypeHandler(new Handler<SubscriberStatus>());
        Dapper.SqlMapper.AddTypeHandler(new Handler<DigestStatus>());
        Dapper.SqlMapper.AddTypeHandler(new Handler<DeliveryStatus>());
    }

    private sealed class Handler<TEnum> : Dapper.SqlMapper.TypeHandler<TEnum> where TEnum : struct, Enum
    {
        public override void SetValue(System.Data.IDbDataParameter parameter, TEnum value) => parameter.Value = value.ToStored();

        public override TEnum Parse(object value) =>
            TryParse<TEnum>(value as string, out var parsed) ? parsed : throw new FormatException($"'{value}' is not a stored {typeof(TEnum).Name}.");
    }
}
