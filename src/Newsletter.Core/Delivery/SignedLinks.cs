using System.Text;
using Newsletter.Core.Email;
using Newsletter.Core.Security;

namespace Newsletter.Core.Delivery;

/// <summary>
/// A reader's signed links, made straight into their quoted-printable bytes: the address's start
/// (encoded once), the token written by <see cref="SubscriberTokens"/> into a stack buffer, one
/// array for the result. The same links <see cref="PublicUrls"/> makes, at a fraction of the work:
/// a digest makes some twenty per reader. A base address that is not plain printable ASCII takes
/// the ordinary way.
/// </summary>
public sealed class SignedLinks(PublicUrls urls, SubscriberTokens tokens)
{
    private readonly byte[]? _feedback = AsciiOf(urls.Feedback(""));
    private readonly byte[]? _preferences = AsciiOf(urls.Preferences(""));

    public EncodedValue Feedback(long subscriberId, long consentVersion, string paperId, int vote)
    {
        if (_feedback is null) return EncodedValue.Of(urls.Feedback(tokens.CreateFeedback(subscriberId, consentVersion, paperId, vote)));
        Span<byte> link = stackalloc byte[_feedback.Length + SubscriberTokens.MaxLength];
        _feedback.CopyTo(link);
        var length = _feedback.Length + tokens.WriteFeedback(link[_feedback.Length..], subscriberId, consentVersion, paperId, vote);
        return Same(QuotedPrintableSegments.EncodeAscii(link[..length]));
    }

    public EncodedValue Preferences(long subscriberId, long consentVersion)
    {
        if (_preferences is null) return EncodedValue.Of(urls.Preferences(tokens.CreatePreferences(subscriberId, consentVersion)));
        Span<byte> link = stackalloc byte[_preferences.Length + SubscriberTokens.MaxLength];
        _preferences.CopyTo(link);
        var length = _preferences.Length + tokens.WritePreferences(link[_preferences.Length..], subscriberId, consentVersion);
        return Same(QuotedPrintableSegments.EncodeAscii(link[..length]));
    }

    // A link holds nothing HTML escapes: the same bytes serve both parts.
    private static EncodedValue Same(byte[] encoded) => new(encoded, encoded);

    private static byte[]? AsciiOf(string start) =>
        start.All(c => c is >= '!' and <= '~' and not '&' and not '<' and not '>' and not '"' and not '\'') ? Encoding.ASCII.GetBytes(start) : null;
}
