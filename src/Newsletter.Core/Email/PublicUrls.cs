using System.Globalization;

namespace Newsletter.Core.Email;

/// <summary>
/// Every public address the service hands out (in mail, pages and headers), built from
/// <c>Newsletter:PublicBaseUrl</c>. The HTTP endpoints map the same paths.
/// </summary>
public sealed class PublicUrls
{
    public PublicUrls(string baseUrl)
    {
        Base = baseUrl.TrimEnd('/');
        Home = Base + "/";
    }

    /// <summary>The base without a trailing slash, as shown to people.</summary>
    public string Base { get; }

    /// <summary>The landing page with the subscribe form.</summary>
    public string Home { get; }

    public string Confirm(string token) => $"{Base}/subscriptions/confirm?token={Uri.EscapeDataString(token)}";

    public string Unsubscribe(string token) => $"{Base}/unsubscribe?token={Uri.EscapeDataString(token)}";

    /// <summary>The reader's own preferences page.</summary>
    public string Preferences(string token) => $"{Base}/preferences?token={Uri.EscapeDataString(token)}";

    /// <summary>A "More like this" / "Less like this" link: the token names the reader, the paper and the vote.</summary>
    public string Feedback(string token) => $"{Base}/feedback?token={Uri.EscapeDataString(token)}";

    /// <summary>The web view of the digest of <paramref name="date"/>.</summary>
    public string Archive(DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"{Base}/digests/{date:yyyy-MM-dd}");
}
