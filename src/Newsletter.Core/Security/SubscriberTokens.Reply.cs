namespace Newsletter.Core.Security;

/// <summary>
/// The token in a digest's reply address, <c>reply+TOKEN@domain</c>: it names the subscriber and the
/// digest they answer. Built like the return-path token (lower-case base32, short) with a purpose tag
/// of its own, so a return path never reads as a reply address, nor the other way round.
/// </summary>
public sealed partial class SubscriberTokens
{
    private const byte ReplyTag = (byte)'Y';

    /// <summary>Characters of the longest reply token.</summary>
    public const int MaxReplyLength = MaxReturnPathLength;

    public string CreateReply(long subscriberId, long digestId)
    {
        Span<char> token = stackalloc char[MaxReplyLength];
        return new string(token[..WriteReply(token, subscriberId, digestId)]);
    }

    /// <summary>The token's characters into <paramref name="destination"/> (at least <see cref="MaxReplyLength"/>); returns how many.</summary>
    public int WriteReply(Span<char> destination, long subscriberId, long digestId) =>
        WriteAddressToken(ReplyTag, destination, subscriberId, digestId);

    /// <summary>Reads a reply token in either case; false for anything not made by <see cref="CreateReply"/> with this key.</summary>
    public bool TryReadReply(ReadOnlySpan<char> token, out long subscriberId, out long digestId) =>
        TryReadAddressToken(ReplyTag, token, out subscriberId, out digestId);
}
