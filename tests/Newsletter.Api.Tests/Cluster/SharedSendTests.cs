using Newsletter.Api.Tests.Infrastructure;
using System.Diagnostics;
using Xunit.Abstractions;

namespace Newsletter.Api.Tests.Cluster;

/// <summary>Three instances on one PostgreSQL database share one digest's send; one is killed with SIGKILL mid-send.</summary>
[Collection(ServiceCluster.Collection)]
[PostgresOnly]
public sealed class SharedSendTests(ITestOutputHelper output)
{
    private const int Readers = 30_000;
    private const int Connections = 4;

    [Fact]
    public async Task ThreeInstancesShareASendAndTheRowsOfOneKilledMidSendAreTakenOver()
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await ServiceCluster.StartAsync(3, s => s["Smtp:MaxConnections"] = Connections.ToString());
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: three instances up");
        var date = new DateOnly(2026, 12, 3);
        var readers = Enumerable.Range(1, Readers).Select(i => $"member{i:00000}@example.org").ToList();
        await cluster.ImportSubscribersAsync(0, readers);
        await cluster.ImportPapersAsync(0, date, 3);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {Readers} readers imported");

        // Started on instance 0 only: the other two join the send by themselves.
        var digestId = await cluster.TriggerAsync(0, date);
        var sharing = await cluster.WaitForStatusAsync(0, digestId,
            s => cluster.Parts(s) is var parts && parts.Count == 3 && parts.All(p => p.Sent > 0 && p.Holding > 0),
            TimeSpan.FromSeconds(60));
        var victim = cluster.Parts(sharing).Single(p => p.Index == 1);
        await cluster[1].KillAsync();
        var sentBeforeKill = cluster.Smtp.Received.Count;
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: killed instance 1 after it recorded {victim.Sent} and held {victim.Holding}; {sentBeforeKill} received so far");
        Assert.InRange(sentBeforeKill, 1, Readers - 1);

        // Its rows come free when its lease (30 s) runs out; the others take them over.
        var done = await cluster.WaitForStatusAsync(0, digestId, s => s.GetProperty("status").GetString() == "sent", TimeSpan.FromSeconds(120));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: sent; {done}");

        Assert.Equal(Readers, done.GetProperty("recipients").GetInt32());
        Assert.Equal(Readers, done.GetProperty("sent").GetInt32());
        Assert.Equal(0, done.GetProperty("pending").GetInt32());
        Assert.Equal(0, done.GetProperty("failed").GetInt32());

        // Each instance sent a share while it lived; the killed one is shown as gone, its sends kept.
        var parts = cluster.Parts(done);
        Assert.Equal([0, 1, 2], parts.Select(p => p.Index).Order());
        Assert.All(parts, p => Assert.True(p.Sent > 0, $"instance {p.Index} sent nothing"));
        Assert.All(parts, p => Assert.Equal(0, p.Holding));
        Assert.Equal(Readers, parts.Sum(p => p.Sent));
        Assert.False(parts.Single(p => p.Index == 1).Alive);
        Assert.True(parts.Single(p => p.Index == 1).Sent >= victim.Sent);

        var perReader = cluster.Smtp.Received
            .Where(m => (m.Message.Subject ?? "").Contains("2026-12-03"))
            .GroupBy(m => m.To, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        var missing = readers.Where(r => !perReader.ContainsKey(r)).ToList();
        var twice = perReader.Where(p => p.Value > 1).ToList();
        output.WriteLine($"{cluster.Smtp.Received.Count} messages received; {twice.Count} readers got it twice; {missing.Count} got nothing; " +
                         string.Join(", ", parts.Select(p => $"instance {p.Index}: {p.Sent}")) + $"; {clock.Elapsed.TotalSeconds:0.0} s in all");
        Assert.Empty(missing);
        Assert.Equal(Readers, perReader.Count);
        // Only the killed instance's messages in flight can arrive twice: at most 2 x Smtp:MaxConnections.
        Assert.InRange(twice.Count, 0, 2 * Connections);
        Assert.All(twice, p => Assert.Equal(2, p.Value));
    }
}
