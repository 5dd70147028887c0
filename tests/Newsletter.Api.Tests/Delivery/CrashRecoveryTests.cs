using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Newsletter.Api.Tests.Delivery;

/// <summary>kill -9 in the middle of a send, then start again.</summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : OwnFolderAndSmtp
{
    private const int Readers = 300;
    private const int Connections = 4;

    private Dictionary<string, string?> Settings
    {
        get
        {
            var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
            settings["Smtp:MaxConnections"] = Connections.ToString();
            // Slow enough that the kill lands in the middle of the send.
            settings["Smtp:MessagesPerSecond"] = "100";
            return settings;
        }
    }

    [Fact]
    public async Task AfterAKillEveryoneGetsTheDigestAndOnlyMessagesInFlightCanArriveTwice()
    {
        var readers = Enumerable.Range(1, Readers).Select(i => $"crash{i:000}@example.org").ToList();
        var date = new DateOnly(2026, 11, 2);

        await using (var first = await ServiceProcess.StartAsync(Folder.Path, Settings))
        {
            using var admin = first.AdminClient(NewsletterApp.AdminKey);
            var import = await admin.PostAsync("/api/admin/subscribers/import",
                new StringContent("email\n" + string.Join("\n", readers), System.Text.Encoding.UTF8, "text/csv"));
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
            var papers = await admin.PostAsync("/api/admin/papers",
                new StringContent(JsonSerializer.Serialize(PaperFixtures.Day(date, 3)), System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, papers.StatusCode);
            var trigger = await admin.PostAsJsonAsync("/api/admin/digests", new { date = "2026-11-02" });
            Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);

            await Smtp.WaitForCountAsync(m => m.To.StartsWith("crash"), 60);
            await first.KillAsync();
        }
        var beforeRestart = Smtp.Received.Count(m => m.To.StartsWith("crash"));
        Assert.InRange(beforeRestart, 60, Readers - 1);

        await using var second = await ServiceProcess.StartAsync(Folder.Path, Settings);
        using var client = second.AdminClient(NewsletterApp.AdminKey);
        await Smtp.WaitForCountAsync(m => m.To.StartsWith("crash"), Readers, TimeSpan.FromSeconds(60));
        JsonElement status;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            status = await client.GetFromJsonAsync<JsonElement>("/api/admin/digests/1");
            if (status.GetProperty("status").GetString() == "sent") break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);

        Assert.Equal("sent", status.GetProperty("status").GetString());
        var perReader = readers.ToDictionary(r => r, r => Smtp.MailTo(r).Count);
        Assert.All(perReader, pair => Assert.True(pair.Value >= 1, $"{pair.Key} got nothing"));
        var twice = perReader.Count(pair => pair.Value > 1);
        output.WriteLine($"{beforeRestart} delivered before the kill; {twice} received it twice");
        // In flight at the kill: what a sender may have out before its result is committed (2 per connection on PostgreSQL).
        Assert.InRange(twice, 0, Newsletter.Core.Delivery.DigestSender.UnrecordedSends(new() { MaxConnections = Connections }, shared: TestDatabase.IsPostgres));
        Assert.All(perReader, pair => Assert.True(pair.Value <= 2, $"{pair.Key} got {pair.Value}"));
    }
}
