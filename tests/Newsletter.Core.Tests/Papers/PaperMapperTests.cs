using Newsletter.Core.Papers;

namespace Newsletter.Core.Tests.Papers;

public sealed class PaperMapperTests
{
    [Theory]
    [InlineData("2502.20388", "2502.20388")]
    [InlineData("2502.20388v3", "2502.20388")]
    [InlineData(" 2411.06959 ", "2411.06959")]
    [InlineData("hep-th/9901001v2", "hep-th/9901001")]
    [InlineData("", null)]
    [InlineData("not-an-id", null)]
    [InlineData("2502.20388/../../etc", null)]
    public void ArxivIdsAreNormalisedAndAnythingElseRefused(string input, string? expected) =>
        Assert.Equal(expected, PaperMapper.NormalizeId(input));

    [Fact]
    public void ItemsWithoutIdOrTitleAreSkippedAndTheRestKept()
    {
        var items = new DailyPaperItem?[]
        {
            new() { Paper = new DailyPaper { Id = "2601.00001", Title = "Kept" } },
            new() { Paper = new DailyPaper { Title = "No id" } },
            new() { Paper = new DailyPaper { Id = "2601.00003" } },
            null,
        };

        var result = PaperMapper.Map(items, new DateOnly(2026, 1, 5));

        var paper = Assert.Single(result.Papers);
        Assert.Equal("2601.00001", paper.Id);
        Assert.Equal(new DateOnly(2026, 1, 5), paper.DailyDate);
        Assert.Equal(3, result.Skipped.Count);
    }

    [Fact]
    public void OnlyWebLinksAreKeptAndWhitespaceIsTidied()
    {
        var item = new DailyPaperItem
        {
            NumComments = 4,
            Paper = new DailyPaper
            {
                Id = "2601.00001", Title = "  A\n  title\twith   breaks ", Upvotes = 12,
                GithubRepo = "javascript:alert(1)", ProjectPage = "https://example.org/project",
                SubmittedOnDailyAt = DateTimeOffset.Parse("2026-01-06T23:30:00-05:00"),
                Authors = [new() { Name = "Ada" }, new() { Name = "Hidden", Hidden = true }, new() { Name = "Bo" }],
            },
        };

        var paper = PaperMapper.Map([item]).Papers.Single();

        Assert.Equal("A title with breaks", paper.Title);
        Assert.Null(paper.GithubRepo);
        Assert.Equal("https://example.org/project", paper.ProjectPage);
        Assert.Equal("Ada, Bo", paper.Authors);
        Assert.Equal(3, paper.AuthorCount);
        Assert.Equal(4, paper.NumComments);
        // The list day is the UTC date of submittedOnDailyAt.
        Assert.Equal(new DateOnly(2026, 1, 7), paper.DailyDate);
    }

    [Fact]
    public void LatexLeftInAbstractsIsShownAsTheCharactersItStandsFor()
    {
        var item = new DailyPaperItem
        {
            Paper = new DailyPaper
            {
                Id = "2601.00002", Title = "A ``quoted'' title",
                Summary = @"tokens\textemdash discrete units\textemdash are formed (\eg, DINOv2) with 81.7\% accuracy",
            },
        };

        var paper = PaperMapper.Map([item]).Papers.Single();

        Assert.Equal("A “quoted” title", paper.Title);
        Assert.Equal("tokens— discrete units— are formed (e.g., DINOv2) with 81.7% accuracy", paper.Summary);
    }
}
