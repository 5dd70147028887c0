using System.Net;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Delivery;

/// <summary>
/// Readers' servers that say "later" (451 at RCPT: greylisting, a full mailbox) behind a scripted
/// relay, on the real clock: they wait for a later round while the others go on, and they never
/// stop the digest for everyone. The rounds themselves, on a test clock: GreylistedDigestTests.
/// </summary>
public sealed class GreylistingRelayTests() : BehindScriptedRelay(new ScriptedSmtpServer())
{
    protected override Dictionary<string, string?> Settings => QuickRetries();

    [Fact]
    public async Task ATemporaryFailureThatOutlastsARoundsTriesWaitsForALaterRoundNeitherFailedNorBounced()
    {
        await App.ImportSubscribersAsync(["always-deferred@example.org", "fine2@example.org"]);
        Relay.OnRcpt = (to, _) => to == "always-deferred@example.org" ? new Reply.Line("452 4.2.2 Mailbox full") : Reply.Ok;

        var id = await SendDigestAsync(new DateOnly(2026, 10, 6));
        await Relay.WaitUntilAsync(() => Relay.RcptAttempts("always-deferred@example.org") == 3 && Relay.DeliveredTo("fine2@example.org") == 1, "the first round");
        await App.Logs.WaitForAsync("deferred by their server", 1);

        // The rounds after it, minutes apart, and the end of them: GreylistedDigestTests.
        var waiting = await App.DigestStatusAsync(id);
        for (var deadline = DateTime.UtcNow.AddSeconds(30); waiting.GetProperty("sent").GetInt64() < 1 && DateTime.UtcNow < deadline; await Task.Delay(50))
            waiting = await App.DigestStatusAsync(id);
        Assert.Equal(1, waiting.GetProperty("sent").GetInt64());
        Assert.Equal(0, waiting.GetProperty("failed").GetInt64());
        Assert.Equal(1, waiting.GetProperty("pending").GetInt64());
        Assert.Equal("sending", waiting.GetProperty("status").GetString());
        Assert.Equal("active", await App.StatusOfAsync("always-deferred@example.org"));
    }

    [Fact]
    public async Task AResumeAfterTheRelayFailedTriesAReaderWaitingForALaterRoundAtOnce()
    {
        // The first reader by id is greylisted at RCPT and waits for a round minutes away; then the
        // relay itself fails every message and the digest stops.
        await App.ImportSubscribersAsync(["a-grey@example.org"]);
        var others = Enumerable.Range(1, 80).Select(i => $"b{i:00}@example.org").ToList();
        await App.ImportSubscribersAsync(others);
        var greylisting = true;
        var relayFailing = true;
        Relay.OnRcpt = (to, _) => to == "a-grey@example.org" && Volatile.Read(ref greylisting) ? new Reply.Line("451 4.7.1 Greylisted") : Reply.Ok;
        Relay.OnData = (to, _) => to != "a-grey@example.org" && Volatile.Read(ref relayFailing) ? new Reply.Line("451 4.3.0 Local error") : Reply.Ok;

        var id = await SendDigestAsync(new DateOnly(2026, 10, 14));
        await App.WaitForDigestAsync(id, "failed");
        Assert.Contains(App.Logs.Lines, l => l.Contains("deferred by their server") && l.Contains("next try at"));

        Volatile.Write(ref greylisting, false);
        Volatile.Write(ref relayFailing, false);
        using var admin = App.CreateAdminClient();
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/admin/digests/{id}/resume", null)).StatusCode);
        var done = await App.WaitForDigestAsync(id, "sent");

        // Not five minutes later: the operator fixed the cause, and the resume tries everyone now.
        Assert.Equal(81, done.GetProperty("sent").GetInt64());
        Assert.Equal(1, Relay.DeliveredTo("a-grey@example.org"));
        Assert.All(others, r => Assert.Equal(1, Relay.DeliveredTo(r)));
    }

    [Fact]
    public async Task AWholeDomainThatGreylistsDoesNotStopTheDigestForEveryoneElse()
    {
        // A sorted list with one greylisting domain: sixty "later"s at RCPT in a row, then the rest.
        var grey = Enumerable.Range(1, 60).Select(i => $"a{i:00}@grey.example").ToList();
        var others = Enumerable.Range(1, 5).Select(i => $"z{i:00}@example.org").ToList();
        await App.ImportSubscribersAsync(grey.Concat(others));
        Relay.OnRcpt = (to, _) => to.EndsWith("@grey.example", StringComparison.Ordinal) ? new Reply.Line("451 4.7.1 Greylisted, try again later") : Reply.Ok;

        var id = await SendDigestAsync(new DateOnly(2026, 10, 13));
        await Relay.WaitUntilAsync(() => others.All(r => Relay.DeliveredTo(r) == 1), "the other readers' digests");
        await App.Logs.WaitForAsync("deferred by their server", 60);

        var waiting = await App.DigestStatusAsync(id);
        for (var deadline = DateTime.UtcNow.AddSeconds(30); waiting.GetProperty("sent").GetInt64() < 5 && DateTime.UtcNow < deadline; await Task.Delay(50))
            waiting = await App.DigestStatusAsync(id);
        Assert.Equal("sending", waiting.GetProperty("status").GetString());
        Assert.Equal(5, waiting.GetProperty("sent").GetInt64());
        Assert.Equal(60, waiting.GetProperty("pending").GetInt64());
        Assert.Equal(0, waiting.GetProperty("failed").GetInt64());
        Assert.Equal(0, waiting.GetProperty("skipped").GetInt64());
    }
}
