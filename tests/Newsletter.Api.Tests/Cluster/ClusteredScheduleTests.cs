using Newsletter.Api.Tests.Infrastructure;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Newsletter.Api.Tests.Cluster;

/// <summary>The daily digest's schedule on three instances sharing one database: it fires once for all of them.</summary>
[Collection(ServiceCluster.Collection)]
[PostgresOnly]
public sealed class ClusteredScheduleTests(ITestOutputHelper output)
{
    private const int Readers = 60;
    private static readonly TimeSpan Watch = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ACronFiringEveryFiveSecondsOnThreeInstancesSendsTheDayOnce()
    {
        await using var cluster = await ServiceCluster.StartAsync(3, s => s["Digest:Cron"] = "0/5 * * * * ?");
        var readers = Enumerable.Range(1, Readers).Select(i => $"cron{i:000}@example.org").ToList();
        await cluster.ImportSubscribersAsync(0, readers);
        // Papers for today last: until then every firing finds nothing to send.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await cluster.ImportPapersAsync(1, today, 3);
        var watching = Stopwatch.StartNew();

        await cluster.Smtp.WaitForCountAsync(_ => true, Readers, TimeSpan.FromSeconds(30));
        // Several more firings on each instance: none may make or send the day again.
        var left = Watch - watching.Elapsed;
        if (left > TimeSpan.Zero) await Task.Delay(left);

        using var admin = cluster.Admin(2);
        var digests = (await admin.GetFromJsonAsync<JsonElement>("/api/admin/digests")).EnumerateArray().ToList();
        output.WriteLine($"after {watching.Elapsed.TotalSeconds:0} s: {digests.Count} digests, {cluster.Smtp.Received.Count} messages");
        var day = Assert.Single(digests);
        Assert.Equal(today.ToString("yyyy-MM-dd"), day.GetProperty("date").GetString());
        Assert.Equal("sent", day.GetProperty("status").GetString());
        Assert.Equal(Readers, day.GetProperty("sent").GetInt32());

        var perReader = cluster.Smtp.Received.GroupBy(m => m.To, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(readers.Order(), perReader.Keys.Order());
        Assert.All(perReader, p => Assert.True(p.Value == 1, $"{p.Key} got {p.Value} mails"));
        Assert.All(cluster.Smtp.Received, m => Assert.Contains(today.ToString("yyyy-MM-dd"), m.Message.Subject));
    }
}
