using Newsletter.Core.Ranking;

namespace Newsletter.Core.Tests.Ranking;

/// <summary>
/// Papers in four distinct fields, each with its own vocabulary, written like Daily Papers
/// entries: a title, an abstract that also uses the words every ML abstract shares, a few
/// keywords, often words from another field (half the abstracts, a quarter of the keyword
/// lists), and random upvotes. Seeded: the same every run.
/// </summary>
public sealed class SyntheticCorpus
{
    public static readonly string[] Fields = ["diffusion", "robotics", "language", "molecules"];

    private static readonly string[][] Vocabulary =
    [
        ["diffusion", "denoising", "image synthesis", "text-to-image", "latent space", "sampler", "classifier-free guidance",
         "U-Net", "score matching", "noise schedule", "inpainting", "super-resolution", "pixel", "generative prior", "video generation"],
        ["policy", "reward", "robot", "manipulation", "grasping", "locomotion", "actor-critic", "exploration", "sim-to-real",
         "trajectory", "value function", "offline reinforcement learning", "quadruped", "dexterous hand", "motion planning"],
        ["language model", "reasoning", "chain-of-thought", "instruction tuning", "prompting", "retrieval-augmented generation",
         "question answering", "tokenizer", "decoding", "in-context learning", "math word problems", "hallucination",
         "long context", "summarization", "code generation"],
        ["graph neural network", "molecule", "protein", "drug discovery", "message passing", "binding affinity",
         "molecular property prediction", "docking", "atoms", "protein folding", "equivariant", "crystal structure",
         "ligand", "chemical space", "enzyme"],
    ];

    private static readonly string[] Shared =
    [
        "model", "learning", "benchmark", "performance", "state-of-the-art", "training", "efficient", "large-scale",
        "dataset", "evaluation", "framework", "improves", "experiments", "baseline", "transformer", "scalable",
    ];

    private static readonly string[] TitleStarts = ["Towards", "Rethinking", "Scaling", "Efficient", "Learning", "Unified", "Robust"];

    public List<PoolPaper> Papers { get; } = [];

    /// <summary>The field of each pool index (the pool is in upvote order).</summary>
    public List<int> FieldOf { get; } = [];

    public SyntheticCorpus(int perField = 40, int seed = 7)
    {
        var random = new Random(seed);
        var made = new List<(PoolPaper Paper, int Field)>();
        for (var field = 0; field < Fields.Length; field++)
        {
            for (var n = 0; n < perField; n++)
                made.Add((Make(random, field, $"26{field:D2}.{n:D5}"), field));
        }
        foreach (var (paper, field) in made.OrderByDescending(m => m.Paper.Upvotes).ThenBy(m => m.Paper.Text.Id))
        {
            Papers.Add(paper);
            FieldOf.Add(field);
        }
    }

    public IEnumerable<int> IndexesOf(int field) => Enumerable.Range(0, Papers.Count).Where(i => FieldOf[i] == field);

    private static PoolPaper Make(Random random, int field, string id)
    {
        var words = Vocabulary[field];
        string Own() => words[random.Next(words.Length)];
        string Common() => Shared[random.Next(Shared.Length)];
        string Foreign() => Vocabulary[(field + 1 + random.Next(3)) % 4][random.Next(15)];

        var title = $"{TitleStarts[random.Next(TitleStarts.Length)]} {Cap(Own())} for {Own()} with {Common()}";
        var sentences = new List<string>
        {
            $"We study {Own()} and {Own()} in the setting of {Common()} {Common()}.",
            $"Existing {Common()} methods for {Own()} struggle with {Own()}.",
            $"Our {Common()} combines {Own()} with {Own()} and a {Common()} objective.",
            $"On a {Common()} {Common()} for {Own()} it {Common()} over the {Common()}.",
            $"Ablations show that {Own()} and {Own()} matter most.",
        };
        if (random.Next(2) == 0) sentences.Insert(random.Next(sentences.Count), $"We relate it to {Foreign()} and {Foreign()}.");
        var keywords = Enumerable.Range(0, 3 + random.Next(3)).Select(_ => Own()).Distinct().ToList();
        if (random.Next(4) == 0) keywords.Add(Foreign());
        var upvotes = (long)Math.Round(Math.Exp(random.NextDouble() * 5)); // 1 to ~150, skewed like real lists
        return new PoolPaper(new PaperText(id, title, string.Join(' ', sentences), keywords.ToArray()), upvotes, random.Next(2) == 0);
    }

    private static string Cap(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    public static PoolPaper Paper(string id, string title, string summary = "", long upvotes = 1, bool hasCode = false,
                                  params string[] keywords) =>
        new(new PaperText(id, title, summary, keywords), upvotes, hasCode);

    public static ReaderTaste Taste(int maxPapers = 10, string[]? topics = null, string[]? muted = null,
                                    bool requireCode = false, Vote[]? votes = null) =>
        new(topics ?? [], muted ?? [], requireCode, maxPapers, votes ?? []);
}
