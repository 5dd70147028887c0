using System.Numerics;
using System.Numerics.Tensors;

namespace Newsletter.Core.Ranking;

// Ranking by votes: a Rocchio-style profile (mean similarity to the liked papers minus half the
// mean similarity to the disliked ones), scaled to the reader's best match, blended with popularity.
public sealed partial class DigestPool
{
    private const float DislikeWeight = 0.5f;

    // How much the votes weigh against upvotes grows with how many there are: three votes are
    // thin evidence (40%), so the day's most upvoted paper still gets through; from seven on the
    // votes weigh 80%, and popularity still breaks near-ties and lifts a paper everyone reads.
    private const float VoteWeightPerVote = 0.1f;
    private const float MaxVoteWeight = 0.8f;

    // Below this cosine a liked paper is no honest reason ("close to ...") for a pick.
    private const float WhyMinSimilarity = 0.1f;

    private readonly record struct VoteSet(int Count, int Resolved);

    // Votes whose paper has a row; the others (unknown papers) count towards MinVotes only.
    private VoteSet ResolveVotes(IReadOnlyList<Vote>? votes, Scratch scratch)
    {
        if (votes is null || votes.Count == 0) return default;
        var known = Volatile.Read(ref _voted);
        scratch.EnsureVotes(votes.Count);
        int count = 0, liked = 0, disliked = 0;
        for (var v = 0; v < votes.Count; v++)
        {
            var vote = votes[v];
            if (vote.Value == 0) continue;
            count++;
            if (vote.PaperId is null || !known.TryGetValue(vote.PaperId, out var paper)) continue;
            scratch.Voted[liked + disliked] = paper;
            scratch.Weights[liked + disliked] = vote.Value > 0 ? 1f : -1f;
            if (vote.Value > 0) liked++; else disliked++;
        }
        var resolved = liked + disliked;
        for (var k = 0; k < resolved; k++)
            scratch.Weights[k] = scratch.Weights[k] > 0 ? 1f / liked : -DislikeWeight / disliked;
        scratch.VotedUsed = resolved;
        return new VoteSet(count, resolved);
    }

    private int ChooseRanked(ReadOnlySpan<ulong> eligible, VoteSet votes, ReadOnlySpan<TopicMatch> topics,
                             Scratch scratch, Span<Pick> picks)
    {
        // Over the day's own papers only: the voted papers' rows are as long as its term space.
        Span<float> personal = stackalloc float[_risingFrom];
        Span<float> row = stackalloc float[_risingFrom];
        personal.Clear();
        for (var k = 0; k < votes.Resolved; k++)
        {
            TensorPrimitives.ConvertToSingle(scratch.Voted[k].Row, row);
            TensorPrimitives.MultiplyAdd(row, scratch.Weights[k], personal, personal);
        }
        var scale = Scale(personal, eligible);
        var voteWeight = Math.Min(MaxVoteWeight, VoteWeightPerVote * (votes.Resolved + 1));

        // The best few by insertion into a short sorted list: picks are at most 30, the pool a few hundred.
        Span<int> best = stackalloc int[picks.Length];
        Span<float> bestScore = stackalloc float[picks.Length];
        var kept = 0;
        for (var w = 0; w < eligible.Length; w++)
        {
            var bits = eligible[w];
            while (bits != 0)
            {
                var index = (w << 6) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                var score = voteWeight * Math.Clamp(personal[index] / scale, -1f, 1f)
                          + (1f - voteWeight) * _popularity[index];
                if (kept == best.Length && !(score > bestScore[kept - 1])) continue;
                var at = kept == best.Length ? kept - 1 : kept++;
                // Equal scores keep pool order: a later index never passes an equal one.
                for (; at > 0 && bestScore[at - 1] < score; at--)
                {
                    best[at] = best[at - 1];
                    bestScore[at] = bestScore[at - 1];
                }
                best[at] = index;
                bestScore[at] = score;
            }
        }
        for (var k = 0; k < kept; k++)
            picks[k] = new Pick(best[k], LikedWhy(scratch, votes.Resolved, best[k]) ?? TopicWhy(topics, best[k]));
        return kept;
    }

    // The reader's best eligible match counts as 1, so the blend with popularity (0..1) means the
    // same for a reader with sharp votes as for one with vague ones.
    private float Scale(ReadOnlySpan<float> personal, ReadOnlySpan<ulong> eligible)
    {
        float top = 0f, largest = 0f;
        for (var i = 0; i < personal.Length; i++)
        {
            if (!IsSet(eligible, i)) continue;
            top = Math.Max(top, personal[i]);
            largest = Math.Max(largest, Math.Abs(personal[i]));
        }
        return top > 0f ? top : largest > 0f ? largest : 1f;
    }

    private static string? LikedWhy(Scratch scratch, int resolved, int index)
    {
        VotedPaper? closest = null;
        var similarity = WhyMinSimilarity;
        for (var k = 0; k < resolved; k++)
        {
            if (scratch.Weights[k] <= 0) continue;
            var value = (float)scratch.Voted[k].Row[index];
            if (value >= similarity)
            {
                similarity = value;
                closest = scratch.Voted[k];
            }
        }
        return closest?.Why;
    }

    /// <summary>Per-thread buffers for one call, so choosing allocates nothing once warm.</summary>
    private sealed class Scratch
    {
        [ThreadStatic] private static Scratch? t_current;

        public TopicMatch[] Topics = new TopicMatch[32];
        public VotedPaper[] Voted = new VotedPaper[32];
        public float[] Weights = new float[32];
        public int VotedUsed;
        private int _topicsUsed;

        public static Scratch ForThisThread() => t_current ??= new Scratch();

        public void EnsureTopics(int count)
        {
            if (Topics.Length < count) Topics = new TopicMatch[count];
            _topicsUsed = count;
        }

        public void EnsureVotes(int count)
        {
            if (Voted.Length >= count) return;
            Voted = new VotedPaper[count];
            Weights = new float[count];
        }

        // Drop the references, so a thread's buffers never keep a finished pool alive.
        public void Release()
        {
            Array.Clear(Topics, 0, _topicsUsed);
            Array.Clear(Voted, 0, VotedUsed);
            _topicsUsed = VotedUsed = 0;
        }
    }
}
