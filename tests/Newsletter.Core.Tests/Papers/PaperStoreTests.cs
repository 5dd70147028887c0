using Microsoft.Extensions.Logging.Abstractions;
using Newsletter.Core.Data;
using Newsletter.Core.Papers;

namespace Newsletter.Core.Tests.Papers;

public sealed class PaperStoreTests : OwnFolder
{
    private static readonly DateOnly Day = new(2026, 5, 20);

    [Fact]
    public async Task KeywordsSurviveTheStoreAndARefetchWithoutThemKeepsThem()
    {
        var store = await NewStore();

        await store.UpsertAsync([Paper(["diffusion model", "Ünïcode “quotes”"])]);
        await store.UpsertAsync([Paper([])]);

        var stored = Assert.Single(await store.OfDayAsync(Day));
        Assert.Equal(["diffusion model", "Ünïcode “quotes”"], stored.Keywords);
    }

    [Fact]
    public async Task NewKeywordsFromTheSourceReplaceTheOldOnes()
    {
        var store = await NewStore();

        await store.UpsertAsync([Paper(["old"])]);
        await store.UpsertAsync([Paper(["new", "newer"])]);

        Assert.Equal(["new", "newer"], Assert.Single(await store.OfDayAsync(Day)).Keywords);
    }

    private async Task<PaperStore> NewStore()
    {
        var db = new Db($"Data Source={Path.Combine(Folder, "papers.db")}");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        return new PaperStore(db, TimeProvider.System);
    }

    private static Paper Paper(string[] keywords) => new()
    {
        Id = "2605.00001", Title = "A title", Summary = "An abstract.", DailyDate = Day,
        AiKeywords = Newsletter.Core.Papers.Paper.KeywordsJson(keywords),
    };
}
