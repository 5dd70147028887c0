using System.Text.Json;
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

    [Fact]
    public void ControlAndDirectionCharactersAreRemovedFromEveryField()
    {
        var item = new DailyPaperItem
        {
            Thumbnail = "https://cdn.example/\u0000thumb.png",
            Paper = new DailyPaper
            {
                Id = "2601.\u000000004\u200E",
                Title = "Cut\u0000 here\u0007 and\u001b[31m red\u007F\u0085next\u009Bline",
                Summary = "One\u2028two\u2029three \u202Eevil\u202C \u2066isolated\u2069\ttab\r\nend",
                AiSummary = "\u0000\u0001",
                Authors = [new() { Name = "Ada\u0000 Lovelace\u202E" }, new() { Name = "\u0000" }],
                Organization = new DailyPaperOrganization { Fullname = "Lab\u0000 \u2067One\u2069" },
                GithubRepo = "https://github.com/\u0000ada/\u000Brepo",
                ProjectPage = "https://example.org/\u202Eproject",
            },
        };

        var paper = PaperMapper.Map([item]).Papers.Single();

        Assert.Equal("2601.00004", paper.Id);
        Assert.Equal("Cut here and[31m red nextline", paper.Title);
        Assert.Equal("One two three evil isolated tab end", paper.Summary);
        Assert.Null(paper.AiSummary);
        Assert.Equal("Ada Lovelace", paper.Authors);
        Assert.Equal("Lab One", paper.Organization);
        Assert.Equal("https://github.com/ada/repo", paper.GithubRepo);
        Assert.Equal("https://example.org/project", paper.ProjectPage);
        Assert.Equal("https://cdn.example/thumb.png", paper.Thumbnail);
    }

    [Fact]
    public void KeywordsAreCleanedCappedAndOddElementsSkipped()
    {
        var many = string.Join(",", Enumerable.Range(0, 100).Select(n => $"\"kw {n}\""));
        var odd = $"\"token\\u0000 routing\\u202E\", 7, {{\"a\": 1}}, null, \"\", \"  \", \"Token Routing\", \"{new string('x', 150)}\"";
        var json = "[" +
            $"{{\"paper\": {{\"id\": \"2601.00005\", \"title\": \"T\", \"ai_keywords\": [{odd}, {many}]}}}}," +
            "{\"paper\": {\"id\": \"2601.00006\", \"title\": \"U\", \"ai_keywords\": \"not a list\"}}," +
            "{\"paper\": {\"id\": \"2601.00007\", \"title\": \"V\"}}]";
        var items = JsonSerializer.Deserialize(json, DailyPapersJsonContext.Default.ListDailyPaperItem)!;

        var papers = PaperMapper.Map(items).Papers;

        var keywords = papers[0].Keywords;
        Assert.Equal(PaperMapper.MaxKeywords, keywords.Count);
        Assert.Equal("token routing", keywords[0]);
        Assert.Equal(new string('x', PaperMapper.MaxKeywordLength), keywords[1]);
        Assert.Equal("kw 0", keywords[2]);
        Assert.All(keywords, k => Assert.DoesNotContain(k, c => char.IsControl(c) || c == '\u202E'));
        Assert.Null(papers[1].AiKeywords);
        Assert.Empty(papers[2].Keywords);
    }

    [Fact]
    public void AKeywordIsNeverCutInsideASurrogatePair()
    {
        var item = new DailyPaperItem { Paper = new DailyPaper { Id = "2601.00008", Title = "T" } };
        var keyword = new string('a', PaperMapper.MaxKeywordLength - 1) + "𝔡𝔦";
        item.Paper.AiKeywords = JsonSerializer.SerializeToElement(new[] { keyword }, DailyPapersJsonContext.Default.StringArray);

        var stored = PaperMapper.Map([item]).Papers.Single().Keywords.Single();

        Assert.Equal(new string('a', PaperMapper.MaxKeywordLength - 1), stored);
    }

    [Fact]
    public void StoredKeywordsThatAreNotAJsonListReadAsNone() =>
        Assert.Empty(new Paper { AiKeywords = "{broken" }.Keywords);
}
