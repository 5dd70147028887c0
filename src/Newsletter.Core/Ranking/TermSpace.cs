using Lucene.Net.Tartarus.Snowball.Ext;

namespace Newsletter.Core.Ranking;

/// <summary>
/// TF-IDF vectors over the pool's stemmed words (Snowball's English stemmer: "models" and
/// "modeling" are one term here, unlike in topics) plus each keyword as a whole phrase. The
/// IDF comes from the pool, so the words every paper of the day uses weigh little. Any text
/// (a voted paper in the pool or not) becomes a row: its cosine similarity to each pool paper.
/// </summary>
internal sealed class TermSpace
{
    // Titles and keywords say what a paper is about more densely than the abstract.
    private const float TitleWeight = 2f;
    private const float KeywordWeight = 2f;

    private readonly Dictionary<string, int> _terms = new(StringComparer.Ordinal);
    private readonly List<List<(int Paper, float Weight)>> _postings = [];
    private readonly int _count;
    private float[] _idf = [];
    private float _unknownIdf;

    public TermSpace(IReadOnlyList<PaperText> pool)
    {
        _count = pool.Count;
        var stems = new Stems();
        var counts = new Dictionary<string, float>[pool.Count];
        for (var i = 0; i < pool.Count; i++)
        {
            counts[i] = stems.Count(pool[i]);
            foreach (var term in counts[i].Keys)
            {
                if (_terms.TryAdd(term, _postings.Count)) _postings.Add([]);
            }
        }
        ComputeIdf(counts);
        for (var i = 0; i < pool.Count; i++)
        {
            foreach (var (term, weight) in Normalised(counts[i]))
                _postings[term].Add((i, weight));
        }
    }

    /// <summary>Rows for many texts; the stemmer and its cache live for one call.</summary>
    public IEnumerable<(PaperText Text, Half[] Row)> Rows(IEnumerable<PaperText> texts)
    {
        var stems = new Stems();
        var row = new float[_count];
        foreach (var text in texts)
        {
            Array.Clear(row);
            foreach (var (term, weight) in Normalised(stems.Count(text)))
            {
                if (term < 0) continue;
                foreach (var (paper, paperWeight) in _postings[term]) row[paper] += weight * paperWeight;
            }
            // Half keeps a row at 2 bytes a paper: thousands of voted papers stay a few MB.
            var half = new Half[_count];
            for (var j = 0; j < _count; j++) half[j] = (Half)row[j];
            yield return (text, half);
        }
    }

    private void ComputeIdf(Dictionary<string, float>[] counts)
    {
        var df = new int[_postings.Count];
        foreach (var paper in counts)
        {
            foreach (var term in paper.Keys) df[_terms[term]]++;
        }
        _idf = new float[df.Length];
        for (var t = 0; t < df.Length; t++) _idf[t] = Idf(df[t]);
        _unknownIdf = Idf(0);
    }

    private float Idf(int df) => MathF.Log((_count + 1f) / (df + 1f)) + 1f;

    // Sublinear term frequency times IDF, scaled to length 1. A term outside the pool has term id
    // -1: it matches no pool paper but still counts in the length, as it does in a true cosine.
    private List<(int Term, float Weight)> Normalised(Dictionary<string, float> counts)
    {
        var vector = new List<(int, float)>(counts.Count);
        var squares = 0f;
        foreach (var (term, tf) in counts)
        {
            var known = _terms.TryGetValue(term, out var id);
            var weight = (1f + MathF.Log(tf)) * (known ? _idf[id] : _unknownIdf);
            squares += weight * weight;
            vector.Add((known ? id : -1, weight));
        }
        if (squares <= 0f) return vector;
        var norm = MathF.Sqrt(squares);
        for (var k = 0; k < vector.Count; k++) vector[k] = (vector[k].Item1, vector[k].Item2 / norm);
        return vector;
    }

    /// <summary>Weighted counts of a text's stems and keyword phrases, with a cache of stems seen.</summary>
    private sealed class Stems
    {
        private readonly EnglishStemmer _stemmer = new();
        private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);

        public Dictionary<string, float> Count(PaperText text)
        {
            var counts = new Dictionary<string, float>(StringComparer.Ordinal);
            Add(counts, Words.Of(text.Title, Words.MaxTitleLength), TitleWeight);
            Add(counts, Words.Of(text.Abstract, Words.MaxAbstractLength), 1f);
            foreach (var keyword in Words.Keywords(text.Keywords))
            {
                var words = Words.Of(keyword, Words.MaxKeywordLength);
                Add(counts, words, KeywordWeight);
                if (words.Count > 1) Increment(counts, "#" + string.Join(' ', words.Select(Stem)), KeywordWeight);
            }
            return counts;
        }

        private void Add(Dictionary<string, float> counts, List<string> words, float weight)
        {
            foreach (var word in words)
            {
                if (word.Length < 2 || StopWords.Contains(word) || word.All(char.IsAsciiDigit)) continue;
                Increment(counts, Stem(word), weight);
            }
        }

        private static void Increment(Dictionary<string, float> counts, string term, float weight) =>
            counts[term] = counts.GetValueOrDefault(term) + weight;

        private string Stem(string word)
        {
            if (_known.TryGetValue(word, out var stem)) return stem;
            _stemmer.SetCurrent(word);
            _stemmer.Stem();
            stem = _stemmer.Current;
            _known[word] = stem;
            return stem;
        }
    }

    // Function words and the phrasing every abstract shares; IDF would weigh them low anyway,
    // but in a pool of 30 papers "we" and "propose" are not rare enough to vanish.
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "has", "have", "in", "into",
        "is", "it", "its", "of", "on", "or", "our", "that", "the", "their", "these", "this", "to", "we",
        "which", "while", "with", "without", "both", "such", "than", "then", "they", "was", "were", "how",
        "also", "not", "no", "more", "most", "new", "novel", "propose", "proposed", "present", "show",
        "paper", "work", "approach", "method", "methods", "results", "using", "based", "via", "across",
    };
}
