using MimeKit;
using MimeKit.Utils;
using Newsletter.Core.Digests;
using Newsletter.Core.Email;
using Newsletter.Core.Security;

namespace Newsletter.Core.Delivery;

/// <summary>
/// Makes each subscriber's copy of one digest. Everything shared (subject, both bodies, already
/// quoted-printable encoded, cut at the slots the templates wrote) is prepared once in the
/// constructor; per subscriber only the unsubscribe token, its link in both parts' slots and the
/// headers are produced.
/// </summary>
public sealed class DigestMessageFactory
{
    private readonly Digest _digest;
    private readonly string _domain;
    private readonly PublicUrls _urls;
    private readonly SubscriberTokens _tokens;
    private readonly PreEncodedAlternative.Template _body;
    private readonly Header[] _shared;

    public DigestMessageFactory(Digest digest, MailboxAddress from, string listName, PublicUrls urls, SubscriberTokens tokens)
    {
        _digest = digest;
        _domain = from.Domain;
        _urls = urls;
        _tokens = tokens;
        _body = new PreEncodedAlternative.Template(
            SlottedText.Cut(digest.TextBody, digest.SlotMarker), SlottedText.Cut(digest.HtmlBody, digest.SlotMarker));
        // Encoded and folded once; each message gets copies of the finished raw values.
        var fromHeader = new Header(HeaderId.From, "");
        fromHeader.SetValue(FormatOptions.Default, System.Text.Encoding.UTF8, from.ToString(true));
        _shared =
        [
            fromHeader,
            new Header(System.Text.Encoding.UTF8, HeaderId.Subject, digest.Subject),
            new Header(HeaderId.MimeVersion, "1.0"),
            new Header("List-Id", $"{listName} <daily-papers.{from.Domain}>"),
            new Header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            new Header("Precedence", "bulk"),
        ];
    }

    public string UnsubscribeUrl(long subscriberId) => _urls.Unsubscribe(_tokens.CreateUnsubscribe(subscriberId));

    public MimeMessage Create(long subscriberId, string email)
    {
        var unsubscribe = UnsubscribeUrl(subscriberId);
        var headers = new List<Header>(_shared.Length + 4);
        foreach (var header in _shared) headers.Add(header.Clone());
        headers.Add(new Header(HeaderId.To, email));
        headers.Add(new Header(HeaderId.Date, DateUtils.FormatDate(DateTimeOffset.UtcNow)));
        // The same id for the same recipient of the same digest: a copy resent after a crash is
        // recognisably the same message to the receiving side.
        headers.Add(new Header(HeaderId.MessageId, $"<digest-{_digest.Date:yyyyMMdd}.{_digest.Id}.{subscriberId}@{_domain}>"));
        headers.Add(new Header("List-Unsubscribe", $"<{unsubscribe}>"));
        return new MimeMessage(headers) { Body = _body.Fill(kind => ValueOf(kind, unsubscribe)) };
    }

    private static string ValueOf(SlotKind kind, string unsubscribe) => kind switch
    {
        SlotKind.Unsubscribe => unsubscribe,
        _ => throw new InvalidOperationException($"The digest has a {kind} slot that no value is made for."),
    };
}
