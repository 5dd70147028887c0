using Microsoft.Extensions.Options;
using Newsletter.Core.Options;
using Newsletter.Core.Security;

namespace Newsletter.Core.Delivery;

/// <summary>
/// Each digest's own reply address, <c>reply+TOKEN@{Replies:Domain}</c>: a reply comes back to an
/// address that says, signed, which reader got which digest, so their commands can be applied.
/// </summary>
public sealed class ReplyAddresses(IOptions<RepliesOptions> options, SubscriberTokens tokens)
{
    public const string LocalPrefix = "reply+";

    private readonly string? _domain = options.Value.UsesReplyTo ? options.Value.Domain!.Trim() : null;

    // "@domain>": the part every reader's address shares, made once.
    private readonly string? _suffix = options.Value.UsesReplyTo ? "@" + options.Value.Domain!.Trim() + ">" : null;

    public bool Enabled => _domain is not null;

    /// <summary>The Reply-To header's value for one reader's copy of a digest; null without a domain. Made per message: kept cheap.</summary>
    public string? HeaderValue(long subscriberId, long digestId)
    {
        if (_domain is null) return null;
        Span<char> token = stackalloc char[SubscriberTokens.MaxReplyLength];
        var length = tokens.WriteReply(token, subscriberId, digestId);
        return string.Concat("<" + LocalPrefix, token[..length], _suffix);
    }

    /// <summary>
    /// Reads the subscriber and digest from an address made by <see cref="HeaderValue"/>, in any case and
    /// at any domain (the token is what is trusted); false for any other address or a token that fails its check.
    /// </summary>
    public bool TryRead(string? address, out long subscriberId, out long digestId)
    {
        subscriberId = digestId = 0;
        if (address is null) return false;
        var text = address.Trim().Trim('<', '>');
        var at = text.LastIndexOf('@');
        if (at <= LocalPrefix.Length || !text.StartsWith(LocalPrefix, StringComparison.OrdinalIgnoreCase)) return false;
        return tokens.TryReadReply(text.AsSpan(LocalPrefix.Length, at - LocalPrefix.Length), out subscriberId, out digestId);
    }
}
