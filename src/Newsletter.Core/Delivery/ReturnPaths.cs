using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Core.Options;
using Newsletter.Core.Security;

namespace Newsletter.Core.Delivery;

/// <summary>
/// Each message's own return path, <c>bounces+TOKEN@{Bounces:Domain}</c> (VERP): a bounce comes back
/// to an address that says, signed, whose message it was and from which digest.
/// </summary>
public sealed class ReturnPaths(IOptions<BounceOptions> options, SubscriberTokens tokens)
{
    public const string LocalPrefix = "bounces+";

    private readonly string? _domain = options.Value.UsesReturnPath ? options.Value.Domain!.Trim() : null;

    /// <summary>True when messages go out with signed return paths: then only those identify a returned mail's reader.</summary>
    public bool AreSigned => _domain is not null;

    /// <summary>The return path of a message to <paramref name="subscriberId"/> (digest 0: a confirmation); null without a domain.</summary>
    public MailboxAddress? For(long subscriberId, long digestId)
    {
        if (_domain is null) return null;
        Span<char> token = stackalloc char[SubscriberTokens.MaxReturnPathLength];
        var length = tokens.WriteReturnPath(token, subscriberId, digestId);
        return new MailboxAddress("", string.Concat(LocalPrefix, token[..length], "@", _domain));
    }

    /// <summary>
    /// Reads the subscriber and digest from an address made by <see cref="For"/>, in any case and at any
    /// domain (the token is what is trusted); false for any other address or a token that fails its check.
    /// </summary>
    public bool TryRead(string address, out long subscriberId, out long digestId)
    {
        subscriberId = digestId = 0;
        var at = address.LastIndexOf('@');
        if (at <= LocalPrefix.Length || !address.StartsWith(LocalPrefix, StringComparison.OrdinalIgnoreCase)) return false;
        return tokens.TryReadReturnPath(address.AsSpan(LocalPrefix.Length, at - LocalPrefix.Length), out subscriberId, out digestId);
    }
}
