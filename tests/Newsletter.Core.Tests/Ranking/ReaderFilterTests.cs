using Newsletter.Core.Ranking;
using static Newsletter.Core.Tests.Ranking.SyntheticCorpus;

namespace Newsletter.Core.Tests.Ranking;

public sealed class ReaderFilterTests
{
    // In upvote order; index = position.
    private static readonly List<PoolPaper> Pool =
    [
        Paper("2601.00000", "Organ Segmentation in Abdominal CT", "We segment organs with a U-Net.", 90, hasCode: true),
        Paper("2601.00001", "GAN-based Texture Synthesis", "A generative adversarial network for textures.", 80),
        Paper("2601.00002", "The Diffusion Model, Revisited", "Why sampling works.", 70, hasCode: true),
        Paper("2601.00003", "Diffusion Modeling at Scale", "Training large generators.", 60),
        Paper("2601.00004", "A Study of Routers", "Nothing about tokens here.", 50, keywords: ["token routing", "long context"]),
        Paper("2601.00005", "Étude des réseaux de neurones", "Une analyse des réseaux profonds.", 40, hasCode: true),
        Paper("2601.00006", "Reward Models for Robots", "A robot policy learns from a reward model.", 30),
    ];

    [Theory]
    [InlineData("gan", new[] { 1 })]                   // not inside "organ"
    [InlineData("GAN", new[] { 1 })]
    [InlineData("diffusion model", new[] { 2 })]       // "Diffusion Model," yes; "Diffusion Modeling" no
    [InlineData("Diffusion", new[] { 2, 3 })]
    [InlineData("token routing", new[] { 4 })]         // a keyword
    [InlineData("routing long", new int[0])]           // never across two keywords
    [InlineData("réseaux", new[] { 5 })]
    [InlineData("reward model", new[] { 6 })]
    [InlineData("u-net", new[] { 0 })]                 // the hyphen separates on both sides
    [InlineData("segmentation organ", new int[0])]
    public void TopicsMatchWholeWordsAndPhrasesOnly(string topic, int[] expected)
    {
        var pool = new DigestPool(Pool);
        var picks = new Pick[30];

        var count = pool.Choose(Taste(topics: [topic]), [], picks);

        Assert.Equal(expected, picks[..count].Select(p => p.Index));
    }

    [Fact]
    public void DecomposedAccentsMatchTheComposedTopic()
    {
        var pool = new DigestPool([Paper("2601.00010", "Re\u0301seaux et graphes")]);
        var picks = new Pick[30];

        Assert.Equal(1, pool.Choose(Taste(topics: ["réseaux"]), [], picks));
    }

    [Theory]
    [InlineData("reseaux")]
    [InlineData("RÉSEAUX")]
    [InlineData("ｒéseaux")]
    public void ATopicMatchesTheWordWhateverItsAccentsOrWidth(string topic)
    {
        var pool = new DigestPool([Paper("2601.00011", "Réseaux et graphes"), Paper("2601.00012", "Graphes sans rapport")]);
        var picks = new Pick[30];

        Assert.Equal(1, pool.Choose(Taste(topics: [topic]), [], picks));
    }

    [Fact]
    public void OutsideLatinAMarkStillTellsTwoWordsApart()
    {
        // Russian "мой" (my) and "мои" (mine): the breve makes the difference.
        var pool = new DigestPool([Paper("2601.00013", "Граф мои")]);
        var picks = new Pick[30];

        Assert.Equal(0, pool.Choose(Taste(topics: ["мои\u0306"]), [], picks));
        Assert.Equal(1, pool.Choose(Taste(topics: ["мои"]), [], picks));
    }

    [Fact]
    public void AMutedTopicLeavesOutEveryPaperMatchingIt()
    {
        var pool = new DigestPool(Pool);
        var picks = new Pick[30];

        var count = pool.Choose(Taste(muted: ["diffusion", "robot"]), [], picks);

        Assert.Equal([0, 1, 4, 5], picks[..count].Select(p => p.Index));
    }

    [Fact]
    public void RequireCodeKeepsOnlyPapersWithCode()
    {
        var pool = new DigestPool(Pool);
        var picks = new Pick[30];

        var count = pool.Choose(Taste(requireCode: true), [], picks);

        Assert.Equal([0, 2, 5], picks[..count].Select(p => p.Index));
    }

    [Fact]
    public void PapersAlreadySentAreNeverChosenAgainAndMaxPapersHolds()
    {
        var pool = new DigestPool(Pool);
        var picks = new Pick[30];

        var count = pool.Choose(Taste(maxPapers: 3), [0, 2, -5, 99], picks);

        Assert.Equal([1, 3, 4], picks[..count].Select(p => p.Index));
    }

    [Fact]
    public void AlreadySentIsRespectedWhenRankingByVotesToo()
    {
        var corpus = new SyntheticCorpus();
        var pool = new DigestPool(corpus.Papers);
        var liked = corpus.IndexesOf(0).Take(4).ToArray();
        var sent = corpus.IndexesOf(0).Take(20).ToArray();
        var picks = new Pick[30];

        var count = pool.Choose(Taste(maxPapers: 30, votes: liked.Select(i => new Vote(corpus.Papers[i].Text.Id, 1)).ToArray()), sent, picks);

        Assert.Equal(30, count);
        Assert.Empty(picks[..count].Select(p => p.Index).Intersect(sent));
        Assert.Equal(30, picks[..count].Select(p => p.Index).Distinct().Count());
    }

    [Fact]
    public void TopicsFiltersCombineWithMutedAndCode()
    {
        var pool = new DigestPool(Pool);
        var picks = new Pick[30];

        var count = pool.Choose(Taste(topics: ["diffusion", "organ", "reward"], muted: ["scale"], requireCode: true), [], picks);

        // 3 matches but is muted ("at Scale"); 6 matches but has no code.
        Assert.Equal([0, 2], picks[..count].Select(p => p.Index));
    }

    [Fact]
    public void ATopicPickSaysWhichOfTheReadersTopicsItMatched()
    {
        var pool = new DigestPool(Pool);
        var picks = new Pick[30];

        var count = pool.Choose(Taste(topics: ["Diffusion Model", "GAN", "robot"]), [], picks);

        Assert.Equal(
            [(1, "matches “GAN”"), (2, "matches “Diffusion Model”"), (6, "matches “robot”")],
            picks[..count].Select(p => (p.Index, p.Why)));
    }

    [Fact]
    public void NoTopicMatchesMeansNothingChosen()
    {
        var pool = new DigestPool(Pool);
        var picks = new Pick[30];

        Assert.Equal(0, pool.Choose(Taste(topics: ["quantum chromodynamics", "!!"]), [], picks));
    }
}
