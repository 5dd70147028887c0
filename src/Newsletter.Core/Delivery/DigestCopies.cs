using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Core.Digests;
using Newsletter.Core.Email;
using Newsletter.Core.Options;
using Newsletter.Core.Papers;
using Newsletter.Core.Ranking;
using Newsletter.Core.Security;

namespace Newsletter.Core.Delivery;

/// <summary>What making each reader's copy of one digest needs, prepared once per run or preview.</summary>
public sealed record DigestCopyMaker(DigestMessageFactory Factory, ReaderHistory History);

/// <summary>
/// Prepares a digest for per-reader copies: its pool with what the chooser precomputes, the papers
/// its readers voted on, and the pools of the digests it overlaps (for "at most once").
/// </summary>
public sealed class DigestCopies(
    DigestStore digests, DeliveryLedger ledger, SubscriberTokens tokens, MailComposer composer,
    PublicUrls urls, IOptions<DigestOptions> options, ReplyAddresses replyTo)
{
    public async Task<DigestCopyMaker> PrepareAsync(Digest digest, CancellationToken ct)
    {
        var pool = await digests.PoolOfAsync(digest.Id, ct);
        var chooser = ChooserFor(pool, await digests.VotedByReadersAsync(digest.Id, ct), await digests.RisingCountAsync(digest.Id, ct));
        var history = ReaderHistory.For(pool.Select(p => p.Id).ToList(), await digests.OverlappingPoolsAsync(digest, ct), ledger);
        var factory = new DigestMessageFactory(digest, pool, chooser, composer.From, composer.Sender.Name, urls, tokens, options.Value.MaxPapers,
            options.Value.MaxRising, replyTo);
        return new DigestCopyMaker(factory, history);
    }

    /// <summary>
    /// One reader's copy as it would go out now (the operator's preview): null when the address is
    /// unknown; a message with no body when nothing in the digest is for them.
    /// </summary>
    public async Task<(bool Known, MimeMessage? Message)> CopyForAsync(Digest digest, string email, CancellationToken ct)
    {
        var reader = await ledger.ReaderAsync(email, ct);
        if (reader is null) return (false, null);
        var maker = await PrepareAsync(digest, ct);
        await maker.History.FillAsync(null, [reader], ct);
        return (true, maker.Factory.Create(reader));
    }

    /// <summary>The chooser over a digest's pool (in position order, the last <paramref name="rising"/> its rising papers), knowing the papers its readers voted on.</summary>
    public static DigestPool ChooserFor(IReadOnlyList<Paper> pool, IEnumerable<Paper> voted, int rising = 0)
    {
        var chooser = new DigestPool(pool.Select(p => new PoolPaper(TextOf(p), p.Upvotes, p.GithubRepo is not null)).ToList(), rising);
        chooser.AddVotedPapers(voted.Select(TextOf));
        return chooser;
    }

    private static PaperText TextOf(Paper paper) => new(paper.Id, paper.Title, paper.Summary, paper.Keywords);
}
