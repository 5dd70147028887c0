using System.Net;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Hosting;

/// <summary>Two services on one database would both send every digest.</summary>
[SqliteOnly]
public sealed class SingleInstanceTests : OwnFolderAndSmtp
{
    [Fact]
    public async Task ASecondServiceOnTheSameDatabaseIsRefusedAndARestartAfterAKillStartsAtOnce()
    {
        var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
        var database = Path.Combine(Folder.Path, "newsletter.db");
        await using var first = await ServiceProcess.StartAsync(Folder.Path, settings);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var second = await ServiceProcess.StartAsync(Folder.Path, settings);
        });

        Assert.Contains("The service exited with code 2", refused.Message);
        var line = Assert.Single(refused.Message.Split('\n'), l => l.Contains("another instance"));
        Assert.Contains(database, line);
        Assert.DoesNotContain("   at ", refused.Message);
        using (var client = new HttpClient { BaseAddress = new Uri(first.BaseUrl) })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        await first.KillAsync();
        await using var restarted = await ServiceProcess.StartAsync(Folder.Path, settings);
        using var again = new HttpClient { BaseAddress = new Uri(restarted.BaseUrl) };
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/health")).StatusCode);
    }
}
