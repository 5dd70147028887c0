using MimeKit;
using Newsletter.Core.Digests;
using Newsletter.Core.Security;

namespace Newsletter.Core.Email;

/// <summary>
/// Makes each subscriber's copy of one digest. Everything shared (subject, both bodies, already
/// quoted-printable encoded) is prepared once in the constructor; per subscriber only the
/// unsubscribe token, its link in both parts and the headers are produced.
/// </summary>
public sealed class DigestMessageFactory
{
    private readonly Digest _digest;
    private readonly MailboxAddress _from;
    private readonly string _baseUrl;
    private readonly SubscriberTokens _tokens;
    private readonly QuotedPrintableSegments _html;
    private readonly QuotedPrintableSegments _text;
    private readonly string _listId;

    public DigestMessageFactory(Digest digest, MailboxAddress from, string listName, string baseUrl, SubscriberTokens tokens)
    {
        _digest = digest;
        _from = from;
        _baseUrl = baseUrl;
        _tokens = tokens;
        _html = new QuotedPrintableSegments(digest.HtmlBody, DigestRenderer.UnsubscribeMarker);
        _text = new QuotedPrintableSegments(digest.TextBody, DigestRenderer.UnsubscribeMarker);
        _listId = $"{listName} <daily-papers.{from.Domain}>";
    }

    public string UnsubscribeUrl(long subscriberId) => $"{_baseUrl}/unsubscribe?token={_tokens.CreateUnsubscribe(subscriberId)}";

    public MimeMessage Create(long subscriberId, string email)
    {
        var unsubscribe = UnsubscribeUrl(subscriberId);
        var message = new MimeMessage
        {
            Subject = _digest.Subject,
            Date = DateTimeOffset.UtcNow,
            // The same id for the same recipient of the same digest: a copy resent after a crash
            // is recognisably the same message to the receiving side.
            MessageId = $"digest-{_digest.Date:yyyyMMdd}.{_digest.Id}.{subscriberId}@{_from.Domain}",
            Body = new MultipartAlternative
            {
                Part("plain", _text.Fill(unsubscribe)),
                Part("html", _html.Fill(unsubscribe)),
            },
        };
        message.From.Add(_from);
        message.To.Add(new MailboxAddress("", email));
        message.Headers.Add("List-Id", _listId);
        message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Headers.Add("Precedence", "bulk");
        return message;
    }

    private static TextPart Part(string subtype, byte[] quotedPrintable)
    {
        var part = new TextPart(subtype)
        {
            ContentTransferEncoding = ContentEncoding.QuotedPrintable,
            Content = new MimeContent(new MemoryStream(quotedPrintable, writable: false), ContentEncoding.QuotedPrintable)
            {
                NewLineFormat = NewLineFormat.Dos,
            },
        };
        part.ContentType.Charset = "utf-8";
        return part;
    }
}
