using System.Collections.Concurrent;
using Newsletter.Core.Papers;

namespace Newsletter.Core.Ranking;

/// <summary>
/// Which pool papers a topic matches: whole lower-case words, a phrase only as consecutive words
/// within one field (the title, the abstract or one keyword). Readers share topics, so each
/// distinct topic string is matched against the pool once and kept, up to a bound.
/// </summary>
internal sealed class TopicIndex
{
    // 50,000 distinct topics of ~60 characters with a 6-word set each: about 15 MB at most.
    public const int MaxCachedTopics = 50_000;
    private const int MaxCachedTopicLength = 128;
    private const int MaxPhraseWords = 16;
    private const int Separator = -1;

    private readonly Dictionary<string, int> _wordIds = new(StringComparer.Ordinal);
    private readonly List<List<int>> _postings = [];
    private readonly int[][] _sequences;
    private readonly int _bitWords;
    private readonly TopicMatch _none;
    private readonly ConcurrentDictionary<string, TopicMatch> _cache = new(StringComparer.Ordinal);
    private int _cached;

    public TopicIndex(IReadOnlyList<PaperText> papers, int bitWords)
    {
        _bitWords = bitWords;
        _none = new TopicMatch("", new ulong[bitWords]);
        _sequences = new int[papers.Count][];
        for (var i = 0; i < papers.Count; i++) _sequences[i] = Sequence(papers[i], i);
    }

    /// <summary>The papers the topic matches; thread-safe.</summary>
    public TopicMatch Match(string? topic)
    {
        if (string.IsNullOrEmpty(topic)) return _none;
        if (_cache.TryGetValue(topic, out var known)) return known;
        var match = Compute(topic);
        if (topic.Length <= MaxCachedTopicLength && Volatile.Read(ref _cached) < MaxCachedTopics && _cache.TryAdd(topic, match))
            Interlocked.Increment(ref _cached);
        return match;
    }

    // Each field's words in order, fields apart by a separator so a phrase never spans two.
    private int[] Sequence(PaperText paper, int index)
    {
        var sequence = new List<int>();
        void Add(List<string> words)
        {
            foreach (var word in words)
            {
                if (!_wordIds.TryGetValue(word, out var id))
                {
                    id = _postings.Count;
                    _wordIds.Add(word, id);
                    _postings.Add([]);
                }
                var postings = _postings[id];
                if (postings.Count == 0 || postings[^1] != index) postings.Add(index);
                sequence.Add(id);
            }
            sequence.Add(Separator);
        }
        Add(Words.Of(paper.Title, Words.MaxTitleLength));
        Add(Words.Of(paper.Abstract, Words.MaxAbstractLength));
        foreach (var keyword in Words.Keywords(paper.Keywords)) Add(Words.Of(keyword, Words.MaxKeywordLength));
        return [.. sequence];
    }

    private TopicMatch Compute(string topic)
    {
        var words = Words.Of(topic, MaxCachedTopicLength * 4);
        if (words.Count is 0 or > MaxPhraseWords) return _none;
        var ids = new int[words.Count];
        var rarest = -1;
        for (var w = 0; w < words.Count; w++)
        {
            // A word the pool does not hold: no paper can match.
            if (!_wordIds.TryGetValue(words[w], out ids[w])) return _none;
            if (rarest < 0 || _postings[ids[w]].Count < _postings[rarest].Count) rarest = ids[w];
        }
        var papers = new ulong[_bitWords];
        foreach (var paper in _postings[rarest])
        {
            if (ids.Length == 1 || ContainsRun(_sequences[paper], ids)) papers[paper >> 6] |= 1UL << paper;
        }
        return new TopicMatch(topic, papers);
    }

    private static bool ContainsRun(int[] sequence, int[] run) =>
        sequence.AsSpan().IndexOf(run) >= 0;
}

/// <summary>A topic's matching pool papers as a bit set, and the reason text naming the topic as the reader wrote it.</summary>
internal sealed class TopicMatch(string topic, ulong[] papers)
{
    private string? _why;

    public ulong[] Papers { get; } = papers;

    public bool Has(int index) => (Papers[index >> 6] & (1UL << index)) != 0;

    // Built on first use: most cached topics never reach a mail's reasons.
    public string Why => _why ??= $"matches “{Shown(topic)}”";

    private static string Shown(string topic)
    {
        var text = SourceText.Line(topic).Trim();
        return text.Length <= 64 ? text : text[..64].TrimEnd() + "…";
    }
}
