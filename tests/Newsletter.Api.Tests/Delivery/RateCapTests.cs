using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Delivery;

public sealed class TwentyPerSecondFixture : AppFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Smtp:MessagesPerSecond"] = "20",
        ["Smtp:MaxConnections"] = "4",
    };
}

public sealed class RateCapTests(TwentyPerSecondFixture fixture) : IClassFixture<TwentyPerSecondFixture>
{
    [Fact]
    public async Task TheSendKeepsUnderTheConfiguredRate()
    {
        var readers = Enumerable.Range(1, 41).Select(i => $"paced{i:00}@example.org").ToList();
        await fixture.App.ImportSubscribersAsync(readers);
        var date = new DateOnly(2026, 10, 20);
        await fixture.App.ImportAsync(PaperFixtures.Day(date, 1));

        var started = DateTime.UtcNow;
        var (_, body, _) = await fixture.App.TriggerAsync(date);
        var id = body.GetProperty("id").GetInt64();

        // While it runs the operator sees the rate and when it will be done.
        System.Text.Json.JsonElement live;
        do live = await fixture.App.DigestStatusAsync(id);
        while (live.GetProperty("status").GetString() == "queued" || live.GetProperty("messagesPerSecond").ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.Equal("sending", live.GetProperty("status").GetString());
        Assert.InRange(live.GetProperty("messagesPerSecond").GetDouble(), 1, 25);
        Assert.True(live.GetProperty("estimatedFinish").GetDateTimeOffset() > DateTimeOffset.UtcNow);

        await fixture.App.WaitForDigestAsync(id, "sent");
        var elapsed = DateTime.UtcNow - started;

        // 41 messages at 20/s: the 41st may start no earlier than 2 s after the first.
        Assert.True(elapsed >= TimeSpan.FromSeconds(2), $"sent in {elapsed}");
        Assert.Equal(41, fixture.Smtp.Received.Count(m => m.Message.Subject!.Contains("2026-10-20")));
    }
}
