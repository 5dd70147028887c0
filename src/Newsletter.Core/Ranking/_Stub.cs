// TEMPORARY stand-in until the ranking branch merges: upvote order, no topics. Not to be committed.
namespace Newsletter.Core.Ranking;
public sealed record PaperText(string Id, string Title, string Abstract, IReadOnlyList<string> Keywords);
public sealed record PoolPaper(PaperText Text, long Upvotes, bool HasCode);
public readonly record struct Vote(string PaperId, int Value);
public sealed record ReaderTaste(IReadOnlyList<string> Topics, IReadOnlyList<string> MutedTopics, bool RequireCode, int MaxPapers, IReadOnlyList<Vote> Votes);
public readonly record struct Pick(int Index, string? Why);
public sealed class DigestPool(IReadOnlyList<PoolPaper> papers)
{
    public const int MinVotes = 3;
    public int Count => papers.Count;
    public void AddVotedPapers(IEnumerable<PaperText> voted) { }
    public int Choose(ReaderTaste taste, ReadOnlySpan<int> alreadySent, Span<Pick> picks)
    {
        var n = 0;
        for (var i = 0; i < papers.Count && n < taste.MaxPapers; i++)
        {
            if (alreadySent.Contains(i)) continue;
            if (taste.RequireCode && !papers[i].HasCode) continue;
            picks[n++] = new Pick(i, null);
        }
        return n;
    }
}
