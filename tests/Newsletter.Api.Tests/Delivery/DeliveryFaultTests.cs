using Dapper;
using System.Net;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Delivery;

/// <summary>A relay that misbehaves, scripted; the real sender, ledger and database.</summary>
public sealed class DeliveryFaultTests() : BehindScriptedRelay(new ScriptedSmtpServer())
{
    protected override Dictionary<string, string?> Settings => QuickRetries();

    [Fact]
    public async Task TemporaryRefusalsAreRetriedWithBackoffUntilDelivered()
    {
        await App.ImportSubscribersAsync(["deferred@example.org", "plain@example.org"]);
        Relay.OnRcpt = (to, before) => to == "deferred@example.org" && before < 2 ? new Reply.Line("451 4.7.1 Try again later") : Reply.Ok;

        var done = await App.WaitForDigestAsync(await SendDigestAsync(new DateOnly(2026, 10, 1)), "sent");

        Assert.Equal(2, done.GetProperty("sent").GetInt64());
        Assert.Equal(1, Relay.DeliveredTo("deferred@example.org"));
        Assert.Equal("active", await App.StatusOfAsync("deferred@example.org"));
    }

    [Fact]
    public async Task ADroppedConnectionIsReopenedAndTheMessageSentOnce()
    {
        await App.ImportSubscribersAsync(["dropped@example.org", "other@example.org"]);
        Relay.OnData = (to, before) => to == "dropped@example.org" && before == 0 ? new Reply.Drop() : Reply.Ok;

        var done = await App.WaitForDigestAsync(await SendDigestAsync(new DateOnly(2026, 10, 2)), "sent");

        Assert.Equal(2, done.GetProperty("sent").GetInt64());
        Assert.Equal(1, Relay.DeliveredTo("dropped@example.org"));
        Assert.True(Relay.Connections >= 3, $"{Relay.Connections} connections");
    }

    [Fact]
    public async Task ARelayTooSlowToAnswerIsTimedOutAndTriedAgain()
    {
        await App.ImportSubscribersAsync(["slow@example.org"]);
        Relay.OnData = (to, before) => before == 0 ? new Reply.After(TimeSpan.FromSeconds(3), "250 2.0.0 late") : Reply.Ok;

        var done = await App.WaitForDigestAsync(await SendDigestAsync(new DateOnly(2026, 10, 3)), "sent");

        Assert.Equal(1, done.GetProperty("sent").GetInt64());
    }

    [Fact]
    public async Task APermanentRejectionFailsTheDeliveryAndBouncesTheSubscriberForLaterDigests()
    {
        await App.ImportSubscribersAsync(["no-such-user@example.org", "rejected-data@example.org", "fine@example.org"]);
        Relay.OnRcpt = (to, _) => to == "no-such-user@example.org" ? new Reply.Line("550 5.1.1 No such user") : Reply.Ok;
        Relay.OnData = (to, _) => to == "rejected-data@example.org" ? new Reply.Line("554 5.7.1 Message rejected") : Reply.Ok;

        var first = await App.WaitForDigestAsync(await SendDigestAsync(new DateOnly(2026, 10, 4)), "sent");

        Assert.Equal(2, first.GetProperty("failed").GetInt64());
        Assert.Equal("bounced", await App.StatusOfAsync("no-such-user@example.org"));
        Assert.Equal("bounced", await App.StatusOfAsync("rejected-data@example.org"));
        Assert.Equal(1, Relay.DeliveredTo("fine@example.org"));

        var second = await App.WaitForDigestAsync(await SendDigestAsync(new DateOnly(2026, 10, 5)), "sent");
        Assert.Equal(1, second.GetProperty("recipients").GetInt64());
    }

    [Fact]
    public async Task ARelayThatIsDownStopsTheSendAsFailedAndResumeFinishesItAfterTheFix()
    {
        var readers = Enumerable.Range(1, 20).Select(i => $"down{i}@example.org").ToList();
        await App.ImportSubscribersAsync(readers);
        Relay.OnConnect = () => new Reply.Line("421 4.3.2 Service not available");

        var id = await SendDigestAsync(new DateOnly(2026, 10, 7));
        var failed = await App.WaitForDigestAsync(id, "failed");

        Assert.Contains("cannot connect to the relay", failed.GetProperty("failureReason").GetString());
        Assert.Equal(20, failed.GetProperty("pending").GetInt64());
        Assert.Empty(Relay.Delivered);

        Relay.OnConnect = () => null;
        using var admin = App.CreateAdminClient();
        var resumed = await admin.PostAsync($"/api/admin/digests/{id}/resume", null);
        Assert.Equal(HttpStatusCode.Accepted, resumed.StatusCode);

        var done = await App.WaitForDigestAsync(id, "sent");
        Assert.Equal(20, done.GetProperty("sent").GetInt64());
        Assert.All(readers, r => Assert.Equal(1, Relay.DeliveredTo(r)));
    }

    [Fact]
    public async Task WrongCredentialsStopTheSendWithTheReason()
    {
        Relay.Credentials = ("papers", "right-password");
        var folder = Directory.CreateDirectory(Path.Combine(Folder.Path, "auth")).FullName;
        await using var app = new NewsletterApp(Standby, folder, new Dictionary<string, string?>
        {
            ["Smtp:Port"] = Relay.Port.ToString(),
            ["Smtp:Username"] = "papers",
            ["Smtp:Password"] = "wrong-password",
            ["Smtp:MaxAttempts"] = "2",
            ["Smtp:RetryBaseDelay"] = "00:00:00.010",
        });
        await app.ImportSubscribersAsync(["auth-reader@example.org"]);
        await app.ImportAsync(PaperFixtures.Day(new DateOnly(2026, 10, 8), 1));
        var (_, body, _) = await app.TriggerAsync(new DateOnly(2026, 10, 8));

        var failed = await app.WaitForDigestAsync(body.GetProperty("id").GetInt64(), "failed");

        Assert.Contains("Authentication", failed.GetProperty("failureReason").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, failed.GetProperty("pending").GetInt64());
    }

    [Fact]
    public async Task WhenMostDeliveriesFailTheSendStopsInsteadOfBurningThroughTheList()
    {
        var readers = Enumerable.Range(1, 120).Select(i => $"refused{i:000}@example.org").ToList();
        await App.ImportSubscribersAsync(readers);
        // The relay itself says "later" to every message (its own trouble, not a recipient's).
        Relay.OnData = (_, _) => new Reply.Line("451 4.3.0 Local error in processing, try later");

        var failed = await App.WaitForDigestAsync(await SendDigestAsync(new DateOnly(2026, 10, 9)), "failed");

        Assert.Contains("of the last 50 deliveries failed", failed.GetProperty("failureReason").GetString());
        Assert.Equal(0, failed.GetProperty("failed").GetInt64());
        Assert.True(failed.GetProperty("pending").GetInt64() >= 120 - 60, failed.ToString());
    }

    [Fact]
    public async Task ARunOfHardRejectedAddressesDoesNotStopTheDigestForEveryoneElse()
    {
        // A sorted list with one dead domain: sixty refusals in a row, then the living.
        var dead = Enumerable.Range(1, 60).Select(i => $"a{i:00}@dead.example").ToList();
        var living = Enumerable.Range(1, 20).Select(i => $"z{i:00}@example.org").ToList();
        await App.ImportSubscribersAsync(dead.Concat(living));
        Relay.OnRcpt = (to, _) => to.EndsWith("@dead.example", StringComparison.Ordinal) ? new Reply.Line("550 5.1.1 No such user") : Reply.Ok;

        var done = await App.WaitForDigestAsync(await SendDigestAsync(new DateOnly(2026, 10, 10)), "sent");

        Assert.Equal(20, done.GetProperty("sent").GetInt64());
        Assert.Equal(60, done.GetProperty("failed").GetInt64());
        Assert.All(living, r => Assert.Equal(1, Relay.DeliveredTo(r)));
        Assert.All(dead, r => Assert.Equal(1, Relay.RcptAttempts(r)));
        Assert.Equal("bounced", await App.StatusOfAsync("a01@dead.example"));
    }

    [Fact]
    public async Task HardRefusalsAreSuppressedAsTheyHappenAndAResumeNeverTriesThemAgain()
    {
        var dead = Enumerable.Range(1, 10).Select(i => $"a{i:00}@dead.example").ToList();
        var greylisted = Enumerable.Range(1, 100).Select(i => $"g{i:000}@example.org").ToList();
        await App.ImportSubscribersAsync(dead.Concat(greylisted));
        var relayDeferring = true;
        Relay.OnRcpt = (to, _) => to.EndsWith("@dead.example", StringComparison.Ordinal) ? new Reply.Line("550 5.1.1 No such user") : Reply.Ok;
        Relay.OnData = (_, _) => relayDeferring ? new Reply.Line("451 4.3.0 Try again later") : Reply.Ok;

        var id = await SendDigestAsync(new DateOnly(2026, 10, 11));
        var failed = await App.WaitForDigestAsync(id, "failed");

        // The digest stopped (most deliveries deferred), but the refused addresses are bounced already.
        Assert.Contains("deliveries failed", failed.GetProperty("failureReason").GetString());
        Assert.All(dead, r => Assert.Equal(1, Relay.RcptAttempts(r)));
        foreach (var r in dead) Assert.Equal("bounced", await App.StatusOfAsync(r));

        relayDeferring = false;
        using var admin = App.CreateAdminClient();
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/admin/digests/{id}/resume", null)).StatusCode);
        var done = await App.WaitForDigestAsync(id, "sent");

        Assert.Equal(100, done.GetProperty("sent").GetInt64());
        Assert.Equal(10, done.GetProperty("failed").GetInt64());
        Assert.All(dead, r => Assert.Equal(1, Relay.RcptAttempts(r)));
        Assert.All(greylisted, r => Assert.Equal(1, Relay.DeliveredTo(r)));
    }

    [Fact]
    public async Task AMessageThatCannotBeComposedForOneReaderDoesNotStopTheOthers()
    {
        var readers = Enumerable.Range(1, 5).Select(i => $"ok{i}@example.org").ToList();
        await App.ImportSubscribersAsync(readers);
        // A row written around the validation (an old import, a hand edit): an address that would inject a header.
        await using (var connection = await App.Database.OpenAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO subscribers (email, status, created_at, updated_at, subscribed_at, subscribe_source, confirmed_at)
                VALUES (@email, 'active', '2026-01-01', '2026-01-01', '2026-01-01', 'import', '2026-01-01')
                """, new { email = "evil@example.org\r\nBcc: many@example.net" });
        }

        var done = await App.WaitForDigestAsync(await SendDigestAsync(new DateOnly(2026, 10, 12)), "sent");

        Assert.Equal(5, done.GetProperty("sent").GetInt64());
        Assert.Equal(1, done.GetProperty("failed").GetInt64());
        Assert.All(readers, r => Assert.Equal(1, Relay.DeliveredTo(r)));
        Assert.Equal(0, Relay.DeliveredTo("many@example.net"));
    }

    [Fact]
    public async Task TwoDigestsAtOnceShareTheRelaysConnectionLimit()
    {
        // A slow relay keeps every connection busy; two digests are made at the same moment (as the
        // daily and the weekly one are): together they still use at most Smtp:MaxConnections (2).
        Relay.OnData = (_, _) => new Reply.After(TimeSpan.FromMilliseconds(15), "250 2.0.0 OK");
        await App.ImportSubscribersAsync(Enumerable.Range(1, 30).Select(i => $"reader{i}@example.org"));
        DateOnly first = new(2026, 10, 5), second = new(2026, 10, 6);
        await App.ImportAsync(PaperFixtures.Day(first, 2).Concat(PaperFixtures.Day(second, 2)).ToArray());

        var made = await Task.WhenAll(App.TriggerAsync(first), App.TriggerAsync(second));
        foreach (var (_, body, _) in made)
            Assert.Equal(30, (await App.WaitForDigestAsync(body.GetProperty("id").GetInt64(), "sent")).GetProperty("sent").GetInt64());

        Assert.InRange(Relay.MostInFlight, 1, 2);
    }
}
