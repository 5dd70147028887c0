using System.Numerics;
using Newsletter.Core.Papers;

namespace Newsletter.Core.Ranking;

/// <summary>
/// The papers one digest may hold, prepared once so that choosing for each of 100,000 readers
/// costs microseconds: per pool paper its words (for topics), its TF-IDF vector, its popularity;
/// per distinct topic the papers it matches; per voted paper its similarity to every pool paper.
/// After <see cref="AddVotedPapers"/>, <see cref="Choose"/> may run on any number of threads.
/// </summary>
public sealed partial class DigestPool
{
    public const int MinVotes = 3;

    /// <summary>A weekly pool holds up to ~350 papers; the least upvoted beyond this are left out.</summary>
    public const int MaxPoolSize = 512;

    /// <summary>Voted papers kept with a similarity row (2 bytes per pool paper each); votes on others are ignored.</summary>
    public const int MaxVotedPapers = 20_000;

    private readonly int _count;
    private readonly int _risingFrom;
    private readonly int _bitWords;
    private readonly ulong[] _all;
    private readonly ulong[] _withCode;
    private readonly ulong[] _own;
    private readonly ulong[] _rising;
    private readonly float[] _popularity;
    private readonly TopicIndex _topics;
    private readonly TermSpace _terms;
    private readonly Lock _adding = new();
    private Dictionary<string, VotedPaper> _voted = new(StringComparer.Ordinal);

    /// <param name="papers">
    /// In upvote order: index 0 is the most upvoted; the last <paramref name="rising"/> are rising
    /// papers of earlier days (largest growth first), chosen only by <see cref="Choose(ReaderTaste, ReadOnlySpan{int}, Span{Pick}, Span{Pick}, out int)"/>'s rising picks.
    /// </param>
    public DigestPool(IReadOnlyList<PoolPaper> papers, int rising = 0)
    {
        _count = Math.Min(papers.Count, MaxPoolSize);
        _risingFrom = Math.Clamp(papers.Count - rising, 0, _count);
        _bitWords = Math.Max(1, (_count + 63) / 64);
        _all = new ulong[_bitWords];
        _withCode = new ulong[_bitWords];
        _own = new ulong[_bitWords];
        _rising = new ulong[_bitWords];
        _popularity = new float[_count];
        var texts = new PaperText[_count];
        // Popularity and the term space are the day's own: rising papers never change how its papers rank.
        var mostUpvotes = 0L;
        for (var i = 0; i < _risingFrom; i++) mostUpvotes = Math.Max(mostUpvotes, papers[i]?.Upvotes ?? 0);
        for (var i = 0; i < _count; i++)
        {
            texts[i] = papers[i]?.Text ?? new PaperText("", "", "", []);
            _all[i >> 6] |= 1UL << i;
            (i < _risingFrom ? _own : _rising)[i >> 6] |= 1UL << i;
            if (papers[i]?.HasCode == true) _withCode[i >> 6] |= 1UL << i;
            // Log scale: 500 upvotes against 50 is a clear signal, not ten times the relevance.
            // In doubles: 1 + long.MaxValue would overflow to a negative count.
            var upvotes = Math.Max(0d, papers[i]?.Upvotes ?? 0);
            _popularity[i] = mostUpvotes > 0 ? (float)Math.Min(1d, Math.Log(1d + upvotes) / Math.Log(1d + mostUpvotes)) : 0f;
        }
        _topics = new TopicIndex(texts, _bitWords);
        _terms = new TermSpace(texts[.._risingFrom]);
        AddVotedPapers(texts);
    }

    public int Count => _count;

    /// <summary>How many of the pool are rising papers (the last ones).</summary>
    public int RisingCount => _count - _risingFrom;

    /// <summary>
    /// Texts of papers readers voted on, in the pool or not. Call before sending starts; a paper
    /// already known keeps its first text.
    /// </summary>
    public void AddVotedPapers(IEnumerable<PaperText> papers)
    {
        lock (_adding)
        {
            var voted = new Dictionary<string, VotedPaper>(_voted, StringComparer.Ordinal);
            var fresh = papers.Where(p => p?.Id is not null)
                              .DistinctBy(p => p.Id)
                              .Where(p => !voted.ContainsKey(p.Id))
                              .Take(Math.Max(0, MaxVotedPapers - voted.Count));
            foreach (var (text, row) in _terms.Rows(fresh))
                voted.Add(text.Id, new VotedPaper(row, WhyCloseTo(text.Title)));
            // Choose reads the dictionary without a lock: it is only ever replaced whole.
            Volatile.Write(ref _voted, voted);
        }
    }

    /// <summary>
    /// Up to <c>taste.MaxPapers</c> pool papers for one reader, best first, written to
    /// <paramref name="picks"/>; returns how many. Never a paper whose index is in
    /// <paramref name="alreadySent"/>. Thread-safe.
    /// </summary>
    public int Choose(ReaderTaste taste, ReadOnlySpan<int> alreadySent, Span<Pick> picks) => Choose(taste, alreadySent, picks, [], out _);

    /// <summary>
    /// As <see cref="Choose(ReaderTaste, ReadOnlySpan{int}, Span{Pick})"/>, and up to
    /// <c>rising.Length</c> rising papers, largest growth first, under the same rules (topics,
    /// muted topics, code, never sent before), written to <paramref name="rising"/>. A reader whose
    /// day holds nothing for them gets no rising papers either: rising alone makes no mail.
    /// </summary>
    public int Choose(ReaderTaste taste, ReadOnlySpan<int> alreadySent, Span<Pick> picks, Span<Pick> rising, out int risingCount)
    {
        risingCount = 0;
        var wanted = Math.Min(Math.Min(taste.MaxPapers, picks.Length), _risingFrom);
        if (wanted <= 0) return 0;
        var scratch = Scratch.ForThisThread();
        try
        {
            Span<ulong> eligible = stackalloc ulong[_bitWords];
            Span<ulong> risingEligible = stackalloc ulong[_bitWords];
            var topicCount = Eligible(taste, alreadySent, eligible, scratch);
            var hasRising = _risingFrom < _count;
            if (hasRising)
            {
                for (var w = 0; w < eligible.Length; w++)
                {
                    risingEligible[w] = eligible[w] & _rising[w];
                    eligible[w] &= _own[w];
                }
            }
            var topics = scratch.Topics.AsSpan(0, topicCount);
            var votes = ResolveVotes(taste.Votes, scratch);
            var chosen = votes.Count >= MinVotes && votes.Resolved > 0
                ? ChooseRanked(eligible, votes, topics, scratch, picks[..wanted])
                : ChooseByUpvotes(eligible, topics, picks[..wanted]);
            if (chosen > 0 && hasRising && rising.Length > 0) risingCount = ChooseByUpvotes(risingEligible, topics, rising);
            return chosen;
        }
        finally
        {
            scratch.Release();
        }
    }

    // The pool papers this reader may get at all: topics, muted topics, code, not sent before.
    // Returns how many topic matches it left in the scratch for the reasons.
    private int Eligible(ReaderTaste taste, ReadOnlySpan<int> alreadySent, Span<ulong> eligible, Scratch scratch)
    {
        (taste.RequireCode ? _withCode : _all).CopyTo(eligible);
        foreach (var index in alreadySent)
        {
            if ((uint)index < (uint)_count) eligible[index >> 6] &= ~(1UL << index);
        }
        // Index loops: foreach over an IReadOnlyList allocates an enumerator per reader.
        var mutedTopics = taste.MutedTopics ?? [];
        for (var m = 0; m < mutedTopics.Count; m++)
        {
            var papers = _topics.Match(mutedTopics[m]).Papers;
            for (var w = 0; w < eligible.Length; w++) eligible[w] &= ~papers[w];
        }
        var topics = taste.Topics ?? [];
        if (topics.Count == 0) return 0;
        Span<ulong> any = stackalloc ulong[_bitWords];
        any.Clear();
        scratch.EnsureTopics(topics.Count);
        for (var t = 0; t < topics.Count; t++)
        {
            var match = _topics.Match(topics[t]);
            scratch.Topics[t] = match;
            for (var w = 0; w < any.Length; w++) any[w] |= match.Papers[w];
        }
        for (var w = 0; w < eligible.Length; w++) eligible[w] &= any[w];
        return topics.Count;
    }

    private int ChooseByUpvotes(ReadOnlySpan<ulong> eligible, ReadOnlySpan<TopicMatch> topics, Span<Pick> picks)
    {
        var chosen = 0;
        for (var w = 0; w < eligible.Length && chosen < picks.Length; w++)
        {
            var bits = eligible[w];
            while (bits != 0 && chosen < picks.Length)
            {
                var index = (w << 6) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                picks[chosen++] = new Pick(index, TopicWhy(topics, index));
            }
        }
        return chosen;
    }

    private static string? TopicWhy(ReadOnlySpan<TopicMatch> topics, int index)
    {
        foreach (var topic in topics)
        {
            if (topic.Has(index)) return topic.Why;
        }
        return null;
    }

    private static bool IsSet(ReadOnlySpan<ulong> bits, int index) => (bits[index >> 6] & (1UL << index)) != 0;

    // A title as a reader would recognise it in a few words, never a link: a digest links only the papers it holds.
    private static string WhyCloseTo(string? title)
    {
        var text = string.Join(' ', SourceText.Line(title ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (text.Length == 0) return "close to a paper you liked";
        if (text.Length > WhyTitleLength)
        {
            var cut = text.LastIndexOf(' ', WhyTitleLength);
            if (cut < WhyTitleLength / 2) cut = char.IsLowSurrogate(text[WhyTitleLength]) ? WhyTitleLength - 1 : WhyTitleLength;
            text = text[..cut].TrimEnd(' ', ',', ':', ';', '-') + "…";
        }
        return $"close to “{text}” you liked";
    }

    private const int WhyTitleLength = 60;

    private sealed record VotedPaper(Half[] Row, string Why);
}
