using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Delivery;

namespace Newsletter.Api.Tests.Delivery;

/// <summary>
/// A reader's server that greylists (451 until minutes have passed): the digest waits for it in
/// rounds minutes apart, as the other readers go on, instead of giving up after the seconds
/// between one round's tries. The relay is scripted; the clock is the test's.
/// </summary>
public sealed class GreylistedDigestTests : OwnFolderAndSmtp
{
    private static readonly DateOnly Day = new(2026, 10, 20);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 10, 20, 8, 0, 0, TimeSpan.Zero));

    private async Task<(NewsletterApp App, long Digest)> SendAsync(ScriptedSmtpServer relay, params string[] readers)
    {
        // One try a round: a round's retries would wait on the stopped clock.
        var app = new NewsletterApp(Smtp, Folder.Path, new Dictionary<string, string?>
        {
            ["Smtp:Port"] = relay.Port.ToString(),
            ["Smtp:MaxAttempts"] = "1",
        }, _clock);
        await app.ImportAsync(PaperFixtures.Day(Day, 3));
        await app.ImportSubscribersAsync(readers);
        var (status, body, _) = await app.TriggerAsync(Day);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = body.GetProperty("id").GetInt64();
        // The scheduler runs on the stopped clock: the send is started as its job would.
        await app.Services.GetRequiredService<DigestSender>().SendAsync(id, CancellationToken.None);
        return (app, id);
    }

    private static async Task<long> DeferralsAsync(NewsletterApp app)
    {
        await using var connection = await app.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT max(deferrals) FROM deliveries");
    }

    private static async Task WaitForDeferralsAsync(NewsletterApp app, long rounds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await DeferralsAsync(app) != rounds)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No reader was deferred {rounds} times.");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Moves the clock past <paramref name="wait"/>, then a minute more every half second until
    /// <paramref name="seen"/>: the waiting service reads the clock and then sets its timer, and an
    /// advance that lands between the two would leave that timer set from the later time.
    /// </summary>
    private async Task AdvanceUntilAsync(TimeSpan wait, Func<Task<bool>> seen, string what)
    {
        _clock.Advance(wait);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var look = 1; !await seen(); look++)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited 30 s for {what}.");
            await Task.Delay(20);
            if (look % 25 == 0) _clock.Advance(TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public async Task AGreylistedReaderGetsTheDigestFiveMinutesLaterAndTheOthersAtOnce()
    {
        await using var relay = new ScriptedSmtpServer();
        var greylisting = true;
        relay.OnRcpt = (to, _) => to == "grey@example.org" && Volatile.Read(ref greylisting) ? new Reply.Line("451 4.7.1 Greylisted, try again in 5 minutes") : Reply.Ok;
        var (app, id) = await SendAsync(relay, "grey@example.org", "plain@example.org");
        await using var _ = app;

        Assert.Equal(1, relay.DeliveredTo("plain@example.org"));
        Assert.Equal(0, relay.DeliveredTo("grey@example.org"));
        var waiting = await app.DigestStatusAsync(id);
        Assert.Equal("sending", waiting.GetProperty("status").GetString());
        Assert.Equal(1, waiting.GetProperty("pending").GetInt64());
        Assert.Equal(0, waiting.GetProperty("failed").GetInt64());

        Volatile.Write(ref greylisting, false);
        await AdvanceUntilAsync(TimeSpan.FromMinutes(5), () => Task.FromResult(relay.DeliveredTo("grey@example.org") == 1), "the greylisted reader's digest");
        var done = await app.WaitForDigestAsync(id, "sent");
        Assert.Equal(2, done.GetProperty("sent").GetInt64());
        Assert.Equal(1, relay.DeliveredTo("plain@example.org"));
        Assert.Equal("active", await app.StatusOfAsync("grey@example.org"));
    }

    [Fact]
    public async Task AServerThatNeverStopsDeferringIsGivenUpAfterItsRoundsAndTheDigestEnds()
    {
        await using var relay = new ScriptedSmtpServer();
        relay.OnRcpt = (to, _) => to == "full@example.org" ? new Reply.Line("452 4.2.2 Mailbox full") : Reply.Ok;
        var (app, id) = await SendAsync(relay, "full@example.org", "plain@example.org");
        await using var _ = app;

        // 5, 20, 80 and 320 minutes: four more rounds, then the reader is failed, not bounced. Each
        // wait starts when the deferral is in the ledger, not when the relay answered.
        for (var round = 1; round <= Deferrals.MostForADigest; round++)
        {
            await WaitForDeferralsAsync(app, round);
            var tried = round + 1;
            await AdvanceUntilAsync(Deferrals.Wait(round - 1), () => Task.FromResult(relay.RcptAttempts("full@example.org") >= tried), $"round {tried}");
        }

        var done = await app.WaitForDigestAsync(id, "sent");
        Assert.Equal(1, done.GetProperty("sent").GetInt64());
        Assert.Equal(1, done.GetProperty("failed").GetInt64());
        Assert.Equal(0, done.GetProperty("pending").GetInt64());
        Assert.Equal(Deferrals.MostForADigest + 1, relay.RcptAttempts("full@example.org"));
        Assert.Equal("active", await app.StatusOfAsync("full@example.org"));
    }
}
