using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Core.Options;
using Newsletter.Core.Security;

namespace Newsletter.Core.Delivery;

/// <summary>
/// DKIM-signs each outgoing message once, right after it is composed, on the sending threads
/// (every message differs: its To header and its personal links). Without <see cref="DkimOptions.Domain"/>
/// it does nothing. The key is read and imported once, at start.
/// </summary>
public sealed class MessageSigner
{
    // h=: what receivers and the contract require, in this order, each only when the message has it.
    // Content-* headers live on the body entity; MimeKit signs them from there.
    private static readonly HeaderId[] Candidates =
    [
        HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.MimeVersion,
        HeaderId.ContentType, HeaderId.ListId, HeaderId.ListUnsubscribe, HeaderId.ListUnsubscribePost, HeaderId.ReplyTo,
    ];

    private const string FeedbackId = "Feedback-ID";

    private readonly DkimMessageSigner? _signer;

    public MessageSigner(IOptions<DkimOptions> options)
    {
        var dkim = options.Value;
        if (!dkim.Enabled) return;
        _signer = new DkimMessageSigner(DkimKey.Load(dkim.PrivateKeyPath!), dkim.Domain!.Trim().TrimEnd('.').ToLowerInvariant(), dkim.Selector!.Trim());
    }

    public bool Enabled => _signer is not null;

    /// <summary>Adds the DKIM-Signature header. Nothing may change the message afterwards.</summary>
    public void Sign(MimeMessage message)
    {
        if (_signer is null) return;
        // Fixes every part's transfer encoding for any relay (7-bit) and adds MIME-Version, so the
        // bytes signed are the bytes sent: MailKit's SmtpClient and the pickup folder leave a
        // message carrying a DKIM-Signature as it is. (The digest body is pre-encoded: a no-op.)
        message.Prepare(EncodingConstraint.SevenBit);
        _signer.Sign(FormatOptions.Default, message, SignedHeaders(message));
    }

    private static List<string> SignedHeaders(MimeMessage message)
    {
        var names = new List<string>(Candidates.Length + 1);
        foreach (var id in Candidates)
        {
            var headers = id == HeaderId.ContentType ? message.Body?.Headers : message.Headers;
            if (headers is not null && headers.Contains(id)) names.Add(id.ToHeaderName());
        }
        if (message.Headers.Contains(FeedbackId)) names.Add(FeedbackId);
        return names;
    }
}
