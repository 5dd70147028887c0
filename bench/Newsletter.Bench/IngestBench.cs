using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Newsletter.Core.Data;
using Newsletter.Core.Papers;

namespace Newsletter.Bench;

/// <summary>
/// Parses a recorded 100-paper page of the Daily Papers API and upserts it into SQLite, as a fetch
/// does (the network left out): first into an empty table, then again as the day's re-fetch.
/// </summary>
public static class IngestBench
{
    public static async Task RunAsync(string repoRoot, int rounds)
    {
        var json = await File.ReadAllBytesAsync(Path.Combine(repoRoot, "tests", "Newsletter.Api.Tests", "Fixtures", "daily-papers", "2026-09-03-page0.json"));
        var insert = new List<double>();
        var update = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var folder = Directory.CreateTempSubdirectory("newsletter-ingest-").FullName;
            var db = new Db($"Data Source={Path.Combine(folder, "bench.db")}");
            await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
            var importer = new PaperImporter(new PaperStore(db, TimeProvider.System), NullLogger<PaperImporter>.Instance);

            var sw = Stopwatch.StartNew();
            var result = await importer.StoreAsync(PaperImporter.Parse(json), new DateOnly(2026, 9, 3), CancellationToken.None);
            insert.Add(result.Imported / sw.Elapsed.TotalSeconds);

            sw.Restart();
            result = await importer.StoreAsync(PaperImporter.Parse(json), new DateOnly(2026, 9, 3), CancellationToken.None);
            update.Add(result.Updated / sw.Elapsed.TotalSeconds);

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, true);
        }
        Console.WriteLine($"100-paper day ({json.Length} bytes), {rounds} rounds (first round includes JIT)");
        Console.WriteLine($"parse + store, new papers:      median {RenderBench.Median(insert):0} papers/s");
        Console.WriteLine($"parse + store, re-fetch update: median {RenderBench.Median(update):0} papers/s");
    }
}
