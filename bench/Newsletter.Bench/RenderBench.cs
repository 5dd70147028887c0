using System.Diagnostics;
using MimeKit;
using Newsletter.Core.Digests;

namespace Newsletter.Bench;

/// <summary>
/// Renders the seed day's digest (2026-05-20) as the service does and measures: the size of one
/// subscriber's message, the time to render a digest (templates, CSS inlining), and the time to
/// make and serialise one subscriber's copy from it.
/// </summary>
public static class RenderBench
{
    public static async Task RunAsync(string repoRoot, int subscribers, string? samplePath = null)
    {
        var day = await SeedDay.SetUpAsync(repoRoot);
        var papers = day.Pool;

        Console.WriteLine($"before first render: RSS {Environment.WorkingSet / 1048576} MB, GC heap {GC.GetTotalMemory(false) / 1048576} MB");
        var first = Stopwatch.StartNew();
        var draft = await day.Renderer.RenderAsync(SeedDay.Date, DigestEdition.Daily, papers, 10);
        var firstMs = first.Elapsed.TotalMilliseconds;
        Console.WriteLine($"after first render: RSS {Environment.WorkingSet / 1048576} MB, GC heap {GC.GetTotalMemory(false) / 1048576} MB, after full GC {GC.GetTotalMemory(true) / 1048576} MB");

        const int digestRuns = 50;
        var digestTimes = new List<double>();
        for (var i = 0; i < digestRuns; i++)
        {
            var sw = Stopwatch.StartNew();
            draft = await day.Renderer.RenderAsync(SeedDay.Date, DigestEdition.Daily, papers, 10);
            digestTimes.Add(sw.Elapsed.TotalMilliseconds);
        }

        var factoryTime = Stopwatch.StartNew();
        var factory = day.Factory(draft, day.Chooser());
        var factoryMs = factoryTime.Elapsed.TotalMilliseconds;

        using var sink = new MemoryStream(64 * 1024);
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        long size = 0;
        var perSubscriber = new List<double>();
        // On a shared machine wall time counts the other processes too; CPU time counts only this one.
        var cpuPerSubscriber = new List<double>();
        var process = Process.GetCurrentProcess();
        for (var round = 0; round < 5; round++)
        {
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            for (var id = 1; id <= subscribers; id++)
            {
                var message = factory.Create(new DueDelivery { SubscriberId = id, Email = $"reader{id}@example.org" })!;
                sink.SetLength(0);
                message.WriteTo(format, sink);
            }
            perSubscriber.Add(sw.Elapsed.TotalMicroseconds / subscribers);
            process.Refresh();
            cpuPerSubscriber.Add((process.TotalProcessorTime - cpuBefore).TotalMicroseconds / subscribers);
            size = sink.Length;
            if (round == 4)
                Console.WriteLine($"allocated per subscriber: {(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / subscribers / 1024.0:0.0} KiB");
        }

        var createOnly = Stopwatch.StartNew();
        for (var id = 1; id <= subscribers; id++) factory.Create(new DueDelivery { SubscriberId = id, Email = $"reader{id}@example.org" });
        Console.WriteLine($"of which making the message (no serialisation): {createOnly.Elapsed.TotalMicroseconds / subscribers:0.0} us");
        var tokenOnly = Stopwatch.StartNew();
        for (var id = 1; id <= subscribers; id++) factory.UnsubscribeUrl(id);
        Console.WriteLine($"of which the signed token: {tokenOnly.Elapsed.TotalMicroseconds / subscribers:0.0} us");
        if (samplePath is not null)
        {
            await using var file = File.Create(samplePath);
            factory.Create(new DueDelivery { SubscriberId = 1, Email = "reader1@example.org" })!.WriteTo(format, file);
            Console.WriteLine($"wrote one subscriber's message to {samplePath}");
        }
        Console.WriteLine($"message size (one subscriber, as sent): {size} bytes ({size / 1024.0:0.0} KiB; Gmail clips at 102 KiB)");
        Console.WriteLine($"html part: {draft.HtmlBody.Length} chars, text part: {draft.TextBody.Length} chars");
        Console.WriteLine($"first digest render (template compilation included): {firstMs:0} ms");
        Console.WriteLine($"digest render, median of {digestRuns}: {Median(digestTimes):0.00} ms");
        Console.WriteLine($"shared parts encoded once per digest: {factoryMs:0.00} ms");
        Console.WriteLine($"per subscriber (token, headers, MIME serialisation), median of 5 x {subscribers}: {Median(perSubscriber):0.0} us");
        Console.WriteLine($"per subscriber, process CPU time, median of 5 x {subscribers}: {Median(cpuPerSubscriber):0.0} us");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(day.Folder, true);
    }

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
