using System.Diagnostics;
using Newsletter.Core.Ranking;
using Xunit.Abstractions;
using static Newsletter.Core.Tests.Ranking.SyntheticCorpus;

namespace Newsletter.Core.Tests.Ranking;

public sealed class RobustnessTests(ITestOutputHelper output)
{
    private static readonly string[] TopicWords =
    [
        "diffusion", "robot", "language model", "protein", "reward", "reasoning", "molecule", "denoising", "policy",
        "graph neural network", "chain-of-thought", "docking", "latent space", "sim-to-real", "decoding", "atoms",
        "video generation", "enzyme", "long context", "quadruped", "kernel", "audio", "speech", "3d",
    ];

    [Fact]
    public void ManyReadersInParallelGetTheSameAnswersAsOneAfterAnother()
    {
        var corpus = new SyntheticCorpus();
        var tastes = Enumerable.Range(0, 10_000).Select(n => RandomTaste(new Random(n), corpus)).ToArray();
        var sequential = new DigestPool(corpus.Papers);
        var parallel = new DigestPool(corpus.Papers);

        var expected = tastes.Select(t => Answer(sequential, t)).ToArray();
        var actual = new string[tastes.Length];
        Parallel.For(0, tastes.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n => actual[n] = Answer(parallel, tastes[n]));

        Assert.Equal(expected, actual);
        Assert.Contains(expected, a => a.Contains("close to", StringComparison.Ordinal));
        Assert.Contains(expected, a => a.Contains("matches", StringComparison.Ordinal));
    }

    [Fact]
    public void HostileTextsUpvotesAndIdsBreakNothing()
    {
        var huge = string.Concat(Enumerable.Repeat("diffusion ", 200_000));
        var papers = new List<PoolPaper>
        {
            Paper("2601.00001", "", huge, upvotes: -5, keywords: [.. Enumerable.Repeat("x", 10_000)]),
            Paper("2601.00001", "\ud800 lone surrogate \udfff and 𝔡𝔦𝔣𝔣𝔲𝔰𝔦𝔬𝔫", "ⅅ ﬁ \u200b zero-width", upvotes: 0),
            new(new PaperText("2601.00003", null!, null!, null!), 0, false),
            null!,
            new(null!, 3, true),
            Paper("2601.00004", new string('a', 100_000), "", upvotes: long.MaxValue, keywords: ["", null!, new string('k', 5_000)]),
        };
        papers.AddRange(Enumerable.Range(0, 600).Select(n => Paper($"2602.{n:D5}", $"Filler {n}", "diffusion")));
        var pool = new DigestPool(papers);
        pool.AddVotedPapers([null!, new PaperText(null!, "x", "y", []), new PaperText("2601.00009", null!, huge, null!)]);
        var picks = new Pick[30];

        Assert.Equal(DigestPool.MaxPoolSize, pool.Count);
        var tastes = new[]
        {
            new ReaderTaste(null!, null!, false, 10, null!),
            Taste(topics: ["", null!, new string('t', 10_000), "diffusion"], muted: [null!, "\ud800"]),
            Taste(votes: [new("2601.00001", 1), new("2601.00001", -1), new(null!, 1), new("2601.00009", 1), new("nope", 5), new("2601.00004", 0)]),
            Taste(maxPapers: 0), Taste(maxPapers: -3), Taste(maxPapers: int.MaxValue),
        };
        foreach (var taste in tastes)
        {
            var count = pool.Choose(taste, [-1, int.MaxValue, 3], picks);
            Assert.InRange(count, 0, 30);
            Assert.All(picks[..count], p => Assert.InRange(p.Index, 0, pool.Count - 1));
        }
        Assert.Equal(0, new DigestPool([]).Choose(Taste(), [], picks));
    }

    [Fact]
    public void ExtremeUpvotesStillOrderByPopularityWhenVotesCannotTell()
    {
        var pool = new DigestPool(
        [
            Paper("2601.00001", "Same words", upvotes: long.MaxValue),
            Paper("2601.00002", "Same words", upvotes: -5),
            Paper("2601.00003", "Same words", upvotes: 0),
        ]);
        var picks = new Pick[30];

        var count = pool.Choose(Taste(votes: [new("2601.00001", 1), new("2601.00002", 1), new("2601.00003", 1)]), [], picks);

        Assert.Equal([0, 1, 2], picks[..count].Select(p => p.Index));
    }

    [Fact]
    public void ChoosingAllocatesNothingOnceTopicsAreKnown()
    {
        var corpus = new SyntheticCorpus(perField: 20);
        var pool = new DigestPool(corpus.Papers);
        var taste = HeavyTaste(corpus);
        var picks = new Pick[30];
        // An array, not a literal: the test's own collection expression would allocate per call.
        int[] sent = [1, 2];
        pool.Choose(taste, sent, picks);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var n = 0; n < 1_000; n++) pool.Choose(taste, sent, picks);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // A rough Stopwatch measure, not a benchmark: the bound is loose so a busy shared machine passes.
    [Theory]
    [InlineData(20)]   // 80 papers: a daily pool
    [InlineData(88)]   // 352 papers: a weekly pool
    public void ChoosingForAReaderWithTwentyTopicsAndTenVotesTakesMicroseconds(int perField)
    {
        var corpus = new SyntheticCorpus(perField);
        var pool = new DigestPool(corpus.Papers);
        var taste = HeavyTaste(corpus);
        var picks = new Pick[30];
        var times = new double[20_000];
        for (var n = 0; n < 2_000; n++) pool.Choose(taste, [], picks);
        for (var n = 0; n < times.Length; n++)
        {
            var start = Stopwatch.GetTimestamp();
            pool.Choose(taste, [], picks);
            times[n] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(times);

        output.WriteLine($"pool {pool.Count}: median {times[times.Length / 2]:F1} us, p90 {times[times.Length * 9 / 10]:F1} us");
        Assert.True(times[times.Length / 2] < 500, $"median {times[times.Length / 2]:F1} us");
    }

    private static ReaderTaste HeavyTaste(SyntheticCorpus corpus) => Taste(
        topics: TopicWords[..20],
        muted: ["kernel"],
        votes: [.. Enumerable.Range(0, 10).Select(n => new Vote(corpus.Papers[n * 3].Text.Id, n % 3 == 2 ? -1 : 1))]);

    private static ReaderTaste RandomTaste(Random random, SyntheticCorpus corpus)
    {
        var topics = random.Next(3) == 0 ? TopicWords.OrderBy(_ => random.Next()).Take(random.Next(1, 6)).ToArray() : [];
        var votes = random.Next(4) == 0
            ? Enumerable.Range(0, random.Next(1, 12)).Select(_ => new Vote(corpus.Papers[random.Next(corpus.Papers.Count)].Text.Id, random.Next(2) * 2 - 1)).ToArray()
            : [];
        return Taste(random.Next(1, 31), topics, random.Next(10) == 0 ? ["robot"] : [], random.Next(5) == 0, votes);
    }

    private static string Answer(DigestPool pool, ReaderTaste taste)
    {
        var picks = new Pick[30];
        var count = pool.Choose(taste, [0, 5], picks);
        return string.Join("|", picks[..count].Select(p => $"{p.Index}:{p.Why}"));
    }
}
