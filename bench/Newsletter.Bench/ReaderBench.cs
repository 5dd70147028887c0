using System.Diagnostics;
using System.Text.Json;
using MimeKit;
using Newsletter.Core.Delivery;
using Newsletter.Core.Digests;
using Newsletter.Core.Papers;
using Newsletter.Core.Ranking;

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
        var day = await SeedDay.SetUpAsync(repoRoot);
        var pool = day.Pool;
        var draft = await day.Renderer.RenderAsync(SeedDay.Date, DigestEdition.Daily, pool, 10);
        var factory = day.Factory(draft, day.Chooser());

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
                    links = System.Text.RegularExpressions.Regex.Matches(MimeMessage.Load(new MemoryStream(sink.ToArray())).HtmlBody ?? "", "token=").Count;
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
        Directory.Delete(day.Folder, recursive: true);
    }

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
