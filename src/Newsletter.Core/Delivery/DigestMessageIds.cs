using System.Text.RegularExpressions;

namespace Newsletter.Core.Delivery;

/// <summary>
/// A digest copy's Message-ID, <c>&lt;digest-YYYYMMDD.DIGEST.SUBSCRIBER@domain&gt;</c>: the same for the
/// same recipient of the same digest (a copy resent after a crash is recognisably the same message),
/// and readable again from a returned mail that quotes it. Unsigned: a hint, never proof.
/// </summary>
public static partial class DigestMessageIds
{
    public static string Of(DateOnly date, long digestId, long subscriberId, string domain) =>
        $"<digest-{date:yyyyMMdd}.{digestId}.{subscriberId}@{domain}>";

    public static bool TryRead(string? messageId, out long digestId, out long subscriberId)
    {
        digestId = subscriberId = 0;
        var match = messageId is null ? Match.Empty : Pattern().Match(messageId);
        return match.Success && long.TryParse(match.Groups[1].Value, out digestId) && long.TryParse(match.Groups[2].Value, out subscriberId);
    }

    [GeneratedRegex(@"^<?digest-[0-9]{8}\.([0-9]{1,18})\.([0-9]{1,18})@", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
