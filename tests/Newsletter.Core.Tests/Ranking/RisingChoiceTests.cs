using Newsletter.Core.Ranking;
using static Newsletter.Core.Tests.Ranking.SyntheticCorpus;

namespace Newsletter.Core.Tests.Ranking;

/// <summary>A pool whose last papers are rising ones: chosen apart from the day's, under the same rules.</summary>
public sealed class RisingChoiceTests
{
    // The day's three papers, then three rising ones, largest growth first (more upvotes than the day's).
    private static readonly List<PoolPaper> Pool =
    [
        Paper("2601.00000", "Diffusion Transformers", "Sampling images.", 50),
        Paper("2601.00001", "Robot Grasping", "A robot policy.", 40, hasCode: true),
        Paper("2601.00002", "Token Routing", "Mixture of experts.", 30),
        Paper("2601.00003", "Robot Navigation", "A robot in a crowd.", 400),
        Paper("2601.00004", "Diffusion for Proteins", "Folding by denoising.", 300, hasCode: true),
        Paper("2601.00005", "Speech Codecs", "Audio tokens.", 200),
    ];

    private static int Choose(ReaderTaste taste, int[] alreadySent, int maxRising, out int[] main, out int[] rising)
    {
        var pool = new DigestPool(Pool, rising: 3);
        var picks = new Pick[30];
        var risingPicks = new Pick[maxRising];
        var count = pool.Choose(taste, alreadySent, picks, risingPicks, out var risingCount);
        main = picks[..count].Select(p => p.Index).ToArray();
        rising = risingPicks[..risingCount].Select(p => p.Index).ToArray();
        return count;
    }

    [Fact]
    public void RisingPapersNeverTakeTheDaysPlacesAndComeInGrowthOrder()
    {
        Choose(Taste(), [], 2, out var main, out var rising);

        Assert.Equal([0, 1, 2], main);
        Assert.Equal([3, 4], rising);
    }

    [Fact]
    public void TopicsMutedTopicsCodeAndWhatWasSentApplyToRisingPapers()
    {
        Choose(Taste(topics: ["robot"]), [], 3, out _, out var topics);
        Choose(Taste(muted: ["robot"]), [], 3, out _, out var muted);
        Choose(Taste(requireCode: true), [], 3, out _, out var code);
        Choose(Taste(), [3, 5], 3, out _, out var sent);

        Assert.Equal([3], topics);
        Assert.Equal([4, 5], muted);
        Assert.Equal([4], code);
        Assert.Equal([4], sent);
    }

    [Fact]
    public void RisingAloneMakesNoMail()
    {
        var count = Choose(Taste(topics: ["speech"]), [], 3, out _, out var rising);

        Assert.Equal(0, count);
        Assert.Empty(rising);
    }

    [Fact]
    public void VotesRankTheDaysPapersAsWithoutRisingOnes()
    {
        Vote[] votes = [new("2601.00001", 1), new("2601.00003", 1), new("2601.00002", -1)];
        var withRising = new DigestPool(Pool, rising: 3);
        var without = new DigestPool(Pool[..3]);
        withRising.AddVotedPapers([Pool[3].Text]);
        without.AddVotedPapers([Pool[3].Text]);
        var a = new Pick[30];
        var b = new Pick[30];

        var count = withRising.Choose(Taste(votes: votes), [], a, new Pick[3], out _);

        Assert.Equal(without.Choose(Taste(votes: votes), [], b), count);
        Assert.Equal(b[..count], a[..count]);
    }
}
