using Newsletter.Core.Ranking;
using Xunit.Abstractions;
using static Newsletter.Core.Tests.Ranking.SyntheticCorpus;

namespace Newsletter.Core.Tests.Ranking;

public sealed class PersonalRankingTests(ITestOutputHelper output)
{
    private readonly SyntheticCorpus _corpus = new();

    // Five up and three down is a reader who has used the links for a week or two; three up alone
    // is the least that ranks, where upvotes still weigh 60% (the day's top papers get through).
    [Theory]
    [InlineData(5, 3, 0.8)]
    [InlineData(3, 0, 0.6)]
    public void AReaderWhoLikesOneFieldGetsMostlyThatField(int likes, int dislikes, double atLeast)
    {
        var pool = new DigestPool(_corpus.Papers);
        var random = new Random(11);
        var precisions = new List<double>();
        for (var field = 0; field < Fields.Length; field++)
        {
            for (var reader = 0; reader < 10; reader++)
            {
                var (votes, sent) = Votes(random, field, likes, dislikes);
                var picks = new Pick[30];
                var count = pool.Choose(Taste(votes: votes), sent, picks);

                Assert.Equal(10, count);
                precisions.Add(picks[..count].Count(p => _corpus.FieldOf[p.Index] == field) / 10.0);
            }
        }

        // Without votes the same pool is a quarter each field: precision would be ~0.25.
        output.WriteLine($"precision@10 over {precisions.Count} readers ({likes} up, {dislikes} down): " +
                         $"mean {precisions.Average():F3}, min {precisions.Min():F1}");
        Assert.True(precisions.Average() >= atLeast, $"mean precision@10 {precisions.Average():F3}");
    }

    [Fact]
    public void AReaderWithoutVotesGetsExactlyTheUpvoteOrder()
    {
        var pool = new DigestPool(_corpus.Papers);
        var picks = new Pick[30];

        var count = pool.Choose(Taste(maxPapers: 10), [], picks);

        Assert.Equal(Enumerable.Range(0, 10), picks[..count].Select(p => p.Index));
        Assert.All(picks[..count], p => Assert.Null(p.Why));
    }

    [Fact]
    public void TwoVotesAreNotEnoughToLeaveTheUpvoteOrder()
    {
        var pool = new DigestPool(_corpus.Papers);
        var (votes, _) = Votes(new Random(3), field: 2, likes: 2, dislikes: 0);
        var picks = new Pick[30];

        var count = pool.Choose(Taste(maxPapers: 10, votes: votes), [], picks);

        Assert.Equal(Enumerable.Range(0, 10), picks[..count].Select(p => p.Index));
    }

    [Fact]
    public void AHugePaperOutsideTheFieldStillReachesAModeratelyVotingReader()
    {
        var huge = Paper("2699.00001", "Scaling Dexterous Hand Manipulation with a Single Robot Policy",
            "We train one policy for grasping and locomotion across robots, with reward shaping and sim-to-real transfer.",
            upvotes: 5_000, keywords: ["robot", "policy", "manipulation"]);
        var papers = _corpus.Papers.Prepend(huge).ToList();
        var fields = _corpus.FieldOf.Prepend(1).ToList();
        var pool = new DigestPool(papers);
        var diffusion = Enumerable.Range(0, papers.Count).Where(i => fields[i] == 0).Take(3).ToArray();
        var picks = new Pick[30];

        var count = pool.Choose(Taste(votes: diffusion.Select(i => new Vote(papers[i].Text.Id, 1)).ToArray()), diffusion, picks);

        var chosen = picks[..count].Select(p => p.Index).ToList();
        Assert.Contains(0, chosen);
        Assert.Null(picks[chosen.IndexOf(0)].Why);
        Assert.True(chosen.Count(i => fields[i] == 0) >= 7, string.Join(",", chosen.Select(i => fields[i])));
    }

    [Fact]
    public void AVoteRankedPaperNamesTheLikedPaperItIsClosestTo()
    {
        var pool = new DigestPool(_corpus.Papers);
        var (votes, sent) = Votes(new Random(5), field: 3, likes: 4, dislikes: 2);
        var picks = new Pick[30];

        var count = pool.Choose(Taste(votes: votes), sent, picks);

        var liked = votes.Where(v => v.Value > 0).Select(v => _corpus.Papers.First(p => p.Text.Id == v.PaperId).Text.Title).ToList();
        var first = picks[0].Why;
        Assert.NotNull(first);
        Assert.StartsWith("close to “", first);
        Assert.EndsWith("” you liked", first);
        Assert.Contains(liked, title => first.Contains(title[..Math.Min(40, title.Length)], StringComparison.Ordinal));
        Assert.DoesNotContain("http", string.Join(' ', picks[..count].Select(p => p.Why)));
    }

    [Fact]
    public void VotesOnPapersOutsideThePoolRankThroughTheirText()
    {
        var pool = new DigestPool(_corpus.Papers);
        var outside = Enumerable.Range(0, 4).Select(n => new PaperText($"2501.0000{n}",
            $"Protein folding and molecule docking study {n}", "A graph neural network for binding affinity of ligand and protein.",
            ["protein", "molecule", "drug discovery"])).ToList();
        pool.AddVotedPapers(outside);
        var picks = new Pick[30];

        var count = pool.Choose(Taste(votes: outside.Select(t => new Vote(t.Id, 1)).ToArray()), [], picks);

        Assert.True(picks[..count].Count(p => _corpus.FieldOf[p.Index] == 3) >= 8);
        Assert.Contains("Protein folding and molecule docking study", picks[0].Why);
    }

    // Likes from one field, dislikes spread over the others; the voted papers count as sent.
    private (Vote[] Votes, int[] Sent) Votes(Random random, int field, int likes, int dislikes)
    {
        var liked = _corpus.IndexesOf(field).OrderBy(_ => random.Next()).Take(likes);
        var disliked = Enumerable.Range(0, _corpus.Papers.Count).Where(i => _corpus.FieldOf[i] != field)
                                 .OrderBy(_ => random.Next()).Take(dislikes);
        var votes = liked.Select(i => (i, 1)).Concat(disliked.Select(i => (i, -1))).ToArray();
        return (votes.Select(v => new Vote(_corpus.Papers[v.i].Text.Id, v.Item2)).ToArray(), votes.Select(v => v.i).ToArray());
    }
}
