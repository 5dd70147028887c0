using Newsletter.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Newsletter.Api.Tests.Cluster;

/// <summary>Smtp:MessagesPerSecond is the relay's quota: the instances sharing a send share it too.</summary>
[Collection(ServiceCluster.Collection)]
[PostgresOnly]
public sealed class ClusterRateCapTests(ITestOutputHelper output)
{
    private const int Readers = 600;
    private const int Cap = 50;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task TwoInstancesSendingOneDigestStayWithinOneRateCap()
    {
        await using var cluster = await ServiceCluster.StartAsync(2, s =>
        {
            s["Smtp:MessagesPerSecond"] = Cap.ToString();
            // Half the list in one claim, one connection: the second instance, joining within
            // seconds, finds the other half and the first still busy with its claim.
            s["Digest:BatchSize"] = (Readers / 2).ToString();
            s["Smtp:MaxConnections"] = "1";
        });
        var date = new DateOnly(2026, 12, 4);
        await cluster.ImportSubscribersAsync(0, Enumerable.Range(1, Readers).Select(i => $"paced{i:000}@example.org").ToList());
        await cluster.ImportPapersAsync(0, date, 3);

        var digestId = await cluster.TriggerAsync(0, date);
        var done = await cluster.WaitForStatusAsync(1, digestId, s => s.GetProperty("status").GetString() == "sent", TimeSpan.FromSeconds(60));

        // Both sent: each alone at the full cap would make twice the rate.
        var parts = cluster.Parts(done);
        output.WriteLine(string.Join(", ", parts.Select(p => $"instance {p.Index}: {p.Sent}")));
        Assert.Equal(2, parts.Count);
        Assert.All(parts, p => Assert.True(p.Sent >= Readers / 10, $"instance {p.Index} sent only {p.Sent}"));

        var times = cluster.Smtp.Received.Select(m => m.ReceivedAt).Order().ToList();
        Assert.Equal(Readers, times.Count);
        var overall = (times.Count - 1) / (times[^1] - times[0]).TotalSeconds;
        // The busiest few seconds: both instances at the full cap for a while would show here.
        var busiest = times.Select((t, i) => times.Skip(i).TakeWhile(u => u - t < Window).Count()).Max() / Window.TotalSeconds;
        output.WriteLine("per second: " + string.Join(" ", times.GroupBy(t => (int)(t - times[0]).TotalSeconds).Select(g => g.Count())));
        output.WriteLine($"{overall:0.0} messages/s overall, {busiest:0.0} in the busiest {Window.TotalSeconds:0} seconds");
        Assert.InRange(overall, 0, Cap * 1.15);
        Assert.InRange(busiest, 0, Cap * 1.15);
    }
}
