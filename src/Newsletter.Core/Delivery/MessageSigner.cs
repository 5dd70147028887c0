using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Core.Options;
using Newsletter.Core.Security;

namespace Newsletter.Core.Delivery;

/// <summary>
/// DKIM-signs each outgoing message once, right after it is composed, on the sending threads
/// (every message differs: its To header and its personal links). Without <see cref="DkimOptions.Domain"/>
/// it does nothing. The key file is read once, at start (and imported once per sending thread).
/// </summary>
public sealed class MessageSigner
{
    // h=: what receivers and the contract require, in this order, each only when the message has it.
    // Content-* headers live on the body entity, and are written from there.
    private static readonly HeaderId[] Candidates =
    [
        HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.MimeVersion,
        HeaderId.ContentType, HeaderId.ListId, HeaderId.ListUnsubscribe, HeaderId.ListUnsubscribePost, HeaderId.ReplyTo,
    ];

    private const string FeedbackId = "Feedback-ID";

    private readonly DkimMessageSigner? _signer;
    private readonly TimeProvider _clock;

    public MessageSigner(IOptions<DkimOptions> options, TimeProvider clock)
    {
        _clock = clock;
        var dkim = options.Value;
        if (!dkim.Enabled) return;
        _signer = new DkimMessageSigner(DkimKey.Load(dkim.PrivateKeyPath!), dkim.Domain!.Trim().TrimEnd('.').ToLowerInvariant(), dkim.Selector!.Trim());
    }

    /// <summary>Adds the DKIM-Signature header. Nothing may change the message afterwards.</summary>
    public void Sign(MimeMessage message)
    {
        if (_signer is null) return;
        // Fixes every part's transfer encoding for any relay (7-bit) and adds MIME-Version, so the
        // bytes signed are the bytes sent: MailKit's SmtpClient and the pickup folder leave a
        // message carrying a DKIM-Signature as it is. (The digest body is pre-encoded: a no-op.)
        message.Prepare(EncodingConstraint.SevenBit);
        _signer.Sign(message, SignedHeaders(message), _clock.GetUtcNow().ToUnixTimeSeconds());
    }

    // The last instance of each, as RFC 6376 5.4.2 asks (the messages here carry one of each).
    private static List<Header> SignedHeaders(MimeMessage message)
    {
        var signed = new List<Header>(Candidates.Length + 1);
        foreach (var id in Candidates)
        {
            var headers = id == HeaderId.ContentType ? message.Body?.Headers : message.Headers;
            var index = headers?.LastIndexOf(id) ?? -1;
            if (index >= 0) signed.Add(headers![index]);
        }
        if (message.Headers.LastIndexOf(FeedbackId) is var feedback and >= 0) signed.Add(message.Headers[feedback]);
        return signed;
    }
}
