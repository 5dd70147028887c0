using Newsletter.Core.Security;

namespace Newsletter.Core.Subscribers;

/// <summary>
/// A vote a feedback link carries, on <see cref="PaperTitle"/>; <see cref="VoteCount"/> counts the
/// reader's votes (after recording, this one included) and <see cref="PreferencesToken"/> opens the
/// page where they can be taken back.
/// </summary>
public sealed record FeedbackView(Subscriber Reader, string PaperId, string PaperTitle, int Vote, int VoteCount, string PreferencesToken)
{
    public bool RanksByVotes => VoteCount >= FeedbackService.VotesForRanking;
}

public readonly record struct FeedbackResult(ReaderLinkOutcome Outcome, FeedbackView? View = null);

/// <summary>"More like this" / "Less like this" from inside the mail.</summary>
public sealed class FeedbackService(SubscriberStore store, ReaderLinks links)
{
    /// <summary>From this many votes on, a reader's digest is ranked by their votes.</summary>
    public const int VotesForRanking = Ranking.DigestPool.MinVotes;

    /// <summary>What the link would record; records nothing (mail scanners open every link).</summary>
    public async Task<FeedbackResult> ReadAsync(string? token, CancellationToken ct = default)
    {
        var (outcome, reader, claims) = await links.ResolveAsync(token, TokenPurpose.Feedback, ct);
        if (outcome != ReaderLinkOutcome.Valid) return new(outcome);
        var title = await store.PaperTitleAsync(claims.PaperId!, ct);
        if (title is null) return new(ReaderLinkOutcome.UnknownPaper);
        return new(outcome, new FeedbackView(reader!, claims.PaperId!, title, claims.Vote, await store.CountVotesAsync(reader!.Id, ct),
            links.PreferencesToken(reader)));
    }

    /// <summary>Records the vote; the same link again changes nothing, a later vote on the paper replaces it.</summary>
    public async Task<FeedbackResult> RecordAsync(string? token, CancellationToken ct = default)
    {
        var read = await ReadAsync(token, ct);
        if (read.View is not { } view) return read;
        if (!await store.RecordVoteAsync(view.Reader.Id, view.Reader.ConsentVersion, view.PaperId, view.Vote, ct))
        {
            var outcome = await links.RecheckAsync(view.Reader.Id, view.Reader.ConsentVersion, ct);
            return new(outcome == ReaderLinkOutcome.Valid ? ReaderLinkOutcome.UnknownPaper : outcome);
        }
        return new(ReaderLinkOutcome.Valid, view with { VoteCount = await store.CountVotesAsync(view.Reader.Id, ct) });
    }
}
