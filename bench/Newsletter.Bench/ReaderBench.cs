using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Core.Data;
using Newsletter.Core.Delivery;
using Newsletter.Core.Digests;
using Newsletter.Core.Email;
using Newsletter.Core.Options;
using Newsletter.Core.Papers;
using Newsletter.Core.Ranking;
using Newsletter.Core.Security;

namespace Newsletter.Bench;

/// <summary>
/// The per-reader work of a send, without the network: for a mix of readers (30% with topics,
/// 20% with ten votes, the rest as they came), choose their papers from the seed day's pool of 47,
/// assemble their mail with its signed links and serialise it as the SMTP client does. Reports the
/// median and 90th percentile per reader, by kind of reader.
/// </summary>
public static class ReaderBench
{
    public static async Task RunAsync(string repoRoot, int readers)
    {
        var folder = Directory.CreateTempSubdirectory("reader-bench-").FullName;
        var db = new Db($"Data Source={Path.Combine(folder, "bench.db")}");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        var importer = new PaperImporter(new PaperStore(db, TimeProvider.System), NullLogger<PaperImporter>.Instance);
        await importer.ImportSeedIfEmptyAsync(Path.Combine(repoRoot, "seeds", "papers.json"), CancellationToken.None);

        var options = Options.Create(new NewsletterOptions { PostalAddress = "Bench Lab, 1 Loop Lane, 12345 Localhost" });
        var templates = new TemplateRenderer(new TemplateFolder(Path.Combine(repoRoot, "templates"), typeof(ReaderBench).Assembly));
        var urls = new PublicUrls(options.Value.BaseUrl);
        var composer = new MailComposer(templates, options, urls);
        var day = new DateOnly(2026, 5, 20);
        var pool = await new DigestStore(db, TimeProvider.System).PoolAsync(DigestEdition.Daily, day, DigestService.DailyPool, CancellationToken.None);
        var draft = await new DigestRenderer(templates, composer).RenderAsync(day, DigestEdition.Daily, pool, 10);
        var digest = new Digest
        {
            Id = 1, Date = day, Subject = draft.Subject, HtmlBody = draft.HtmlBody, TextBody = draft.TextBody, SlotMarker = draft.SlotMarker,
        };
        var secrets = new AppSecrets();
        secrets.Set(new SigningKey(new byte[32]), new AdminKey(new byte[32]));
        var chooser = new DigestPool(pool.Select(p => new PoolPaper(TextOf(p), p.Upvotes, p.GithubRepo is not null)).ToList());
        chooser.AddVotedPapers(pool.Select(TextOf));
        var factory = new DigestMessageFactory(digest, pool, chooser, composer.From, composer.Sender.Name, urls,
            new SubscriberTokens(secrets, TimeProvider.System), 10);

        var mix = Readers(pool, readers);
        using var sink = new MemoryStream(64 * 1024);
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        var times = new double[mix.Count];
        long links = 0, empty = 0;
        long allocated = 0;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < mix.Count; i++)
            {
                var (kind, reader) = mix[i];
                var started = Stopwatch.GetTimestamp();
                var message = factory.Create(Copy(reader));
                if (message is not null)
                {
                    sink.SetLength(0);
                    message.WriteTo(format, sink);
                }
                times[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                if (round == 2 && message is null) empty++;
                if (round == 2 && i == 0)
                    links = System.Text.RegularExpressions.Regex.Matches(MimeMessage.Load(new MemoryStream(sink.ToArray())).HtmlBody, "token=").Count;
            }
            allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / mix.Count;
        }
        Console.WriteLine($"readers: {mix.Count}, pool {pool.Count} papers, signed links in a 10-paper mail: {links}, readers with nothing matched: {empty}, " +
                          $"allocated per reader: {allocated / 1024.0:0.0} KiB, message {sink.Length} bytes");
        var all = mix.Select((m, i) => (m.Kind, Time: times[i])).ToList();
        foreach (var group in all.GroupBy(m => m.Kind).Append(all.GroupBy(_ => "all").First()))
        {
            var sorted = group.Select(g => g.Time).Order().ToArray();
            Console.WriteLine($"{group.Key,-8} {sorted.Length,7} readers: median {sorted[sorted.Length / 2]:0.0} us, p90 {sorted[sorted.Length * 9 / 10]:0.0} us");
        }
        Directory.Delete(folder, recursive: true);
    }

    private static PaperText TextOf(Paper p) => new(p.Id, p.Title, p.Summary, p.Keywords);

    private static DueDelivery Copy(DueDelivery r) => new()
    {
        SubscriberId = r.SubscriberId, Email = r.Email, ConsentVersion = 1, Topics = r.Topics, MutedTopics = r.MutedTopics,
        RequireCode = r.RequireCode, MaxPapers = r.MaxPapers, Votes = r.Votes,
    };

    /// <summary>The bench's readers: topics are words of the pool's titles, so most topic readers get mail.</summary>
    private static List<(string Kind, DueDelivery Reader)> Readers(IReadOnlyList<Paper> pool, int count)
    {
        var random = new Random(9);
        var words = pool.SelectMany(p => p.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(w => w.Trim(':', ',', '.', '(', ')').ToLowerInvariant()).Where(w => w.Length > 5).Distinct().ToArray();
        var list = new List<(string, DueDelivery)>(count);
        for (var id = 1; id <= count; id++)
        {
            var reader = new DueDelivery { SubscriberId = id, Email = $"reader{id}@example.org" };
            var kind = (id % 10) switch { 0 or 1 or 2 => "topics", 3 or 4 => "votes", _ => "plain" };
            list.Add((kind, kind switch
            {
                "topics" => new DueDelivery
                {
                    SubscriberId = id, Email = reader.Email,
                    Topics = JsonSerializer.Serialize(Enumerable.Range(0, random.Next(1, 6)).Select(_ => words[random.Next(words.Length)]).ToArray()),
                },
                "votes" => new DueDelivery
                {
                    SubscriberId = id, Email = reader.Email,
                    Votes = Enumerable.Range(0, 10).Select(_ => new Vote(pool[random.Next(pool.Count)].Id, random.Next(3) == 0 ? -1 : 1)).ToArray(),
                },
                _ => reader,
            }));
        }
        return list;
    }
}
