using Dapper;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Security;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Tests.Delivery;

/// <summary>
/// Confirmation mails against the open world: requests to mail-bomb an address, greylisting relays
/// and a backlog after a burst. The clock is fake, so waits of minutes and days take no time.
/// </summary>
public sealed class ConfirmationMailTests : OwnFolderAndSmtp
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));

    private static readonly Dictionary<string, string?> NoRetryWaits = new() { ["Smtp:RetryBaseDelay"] = "00:00:00" };

    private static async Task RequestAsync(NewsletterApp app, string email)
    {
        using var client = app.CreatePublicClient();
        var response = await client.PostAsJsonAsync("/api/subscriptions", new { email });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private int ConfirmationsTo(string email) => Smtp.MailTo(email).Count(m => m.Message.Subject!.Contains("Confirm"));

    /// <summary>A request for another address is answered after every request queued before it.</summary>
    private async Task SettleAsync(NewsletterApp app, string marker)
    {
        await RequestAsync(app, marker);
        await Smtp.WaitForMailToAsync(marker, "Confirm");
    }

    [Fact]
    public async Task AnAddressGetsAtMostOneConfirmationPerQuarterHourAndThreeADay()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, NoRetryWaits, _clock);
        const string victim = "victim@example.org";

        await RequestAsync(app, victim);
        await Smtp.WaitForMailToAsync(victim, "Confirm");
        _clock.Advance(TimeSpan.FromSeconds(1));
        await RequestAsync(app, victim);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await RequestAsync(app, victim);
        await SettleAsync(app, "marker1@example.org");
        Assert.Equal(1, ConfirmationsTo(victim));

        // The request made in the quiet period is answered once it has passed.
        _clock.Advance(TimeSpan.FromMinutes(16));
        await SettleAsync(app, "marker2@example.org");
        await Smtp.WaitForCountAsync(m => m.To == victim, 2);
        await SettleAsync(app, "marker3@example.org");

        _clock.Advance(TimeSpan.FromMinutes(16));
        await RequestAsync(app, victim);
        await Smtp.WaitForCountAsync(m => m.To == victim, 3);
        await SettleAsync(app, "marker4@example.org");

        // A fourth the same day is not sent, and not kept for later either.
        _clock.Advance(TimeSpan.FromMinutes(16));
        await RequestAsync(app, victim);
        await SettleAsync(app, "marker5@example.org");
        _clock.Advance(TimeSpan.FromMinutes(16));
        await SettleAsync(app, "marker6@example.org");
        Assert.Equal(3, ConfirmationsTo(victim));

        _clock.Advance(TimeSpan.FromDays(1));
        await RequestAsync(app, victim);
        await Smtp.WaitForCountAsync(m => m.To == victim, 4);
    }

    /// <summary>Subscribes, confirms and unsubscribes; returns the confirmation link and the unsubscribe path used.</summary>
    private static async Task<(string ConfirmLink, string Unsubscribe)> ConfirmedThenLeftAsync(NewsletterApp app, HttpClient client, string email)
    {
        var confirm = await app.SubscribeAsync(email);
        await client.PostAsync(NewsletterApp.PathOf(confirm), null);
        var unsubscribe = $"/unsubscribe?token={app.Services.GetRequiredService<SubscriberTokens>().CreateUnsubscribe(Infrastructure.Tokens.SubscriberId(confirm))}";
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(unsubscribe, null)).StatusCode);
        return (confirm, unsubscribe);
    }

    [Fact]
    public async Task SomeoneWhoLeftCanComeBackOnlyThroughANewConfirmation()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, NoRetryWaits, _clock);
        using var client = app.CreatePublicClient();
        const string email = "returning@example.org";
        var (firstLink, _) = await ConfirmedThenLeftAsync(app, client, email);
        Assert.Equal("unsubscribed", await app.StatusOfAsync(email));

        // The old confirmation link must not bring the address back.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(NewsletterApp.PathOf(firstLink), null)).StatusCode);
        Assert.Equal("unsubscribed", await app.StatusOfAsync(email));

        _clock.Advance(TimeSpan.FromMinutes(16));
        var secondLink = await app.SubscribeAsync(email);
        Assert.Equal("pending", await app.StatusOfAsync(email));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(NewsletterApp.PathOf(firstLink), null)).StatusCode);
        Assert.Equal("pending", await app.StatusOfAsync(email));

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(NewsletterApp.PathOf(secondLink), null)).StatusCode);
        Assert.Equal("active", await app.StatusOfAsync(email));
    }

    [Fact]
    public async Task AnUnsubscribeLinkFromAnEarlierSubscriptionDoesNotCancelTheAddressesNewSignUp()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, NoRetryWaits, _clock);
        using var client = app.CreatePublicClient();
        const string email = "came-back@example.org";
        // The link every digest of that first subscription carried.
        var (_, oldUnsubscribe) = await ConfirmedThenLeftAsync(app, client, email);
        _clock.Advance(TimeSpan.FromMinutes(16));
        var secondLink = await app.SubscribeAsync(email);

        // Pressed again from an old digest (or posted by a mail provider's one-click) while the
        // new sign-up waits: the reader is not receiving mail, and their new request stands.
        var page = await client.GetStringAsync(oldUnsubscribe);
        var pressed = await client.PostAsync(oldUnsubscribe, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

        Assert.DoesNotContain("<button", page);
        Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
        Assert.Contains("waits for its Confirm", await pressed.Content.ReadAsStringAsync());
        Assert.Equal("pending", await app.StatusOfAsync(email));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(NewsletterApp.PathOf(secondLink), null)).StatusCode);
        Assert.Equal("active", await app.StatusOfAsync(email));
        // Once confirmed, the old link unsubscribes again: a reader's wish to leave is never refused.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(oldUnsubscribe, null)).StatusCode);
        Assert.Equal("unsubscribed", await app.StatusOfAsync(email));
    }

    [Fact]
    public async Task AGreylistedAddressWaitsForItsOwnRetryWhileEveryOtherConfirmationGoesOut()
    {
        await using var relay = new ScriptedSmtpServer();
        // Greylisting: refused with 451 for the first four tries, then taken.
        relay.OnRcpt = (to, before) => to == "grey@example.org" && before < 4 ? new Reply.Line("451 4.7.1 Greylisted, try later") : Reply.Ok;
        await using var app = new NewsletterApp(Smtp, Folder.Path, new Dictionary<string, string?>(NoRetryWaits)
        {
            ["Smtp:Port"] = relay.Port.ToString(),
            ["Smtp:MaxAttempts"] = "2",
        }, _clock);

        await RequestAsync(app, "grey@example.org");
        var others = Enumerable.Range(1, 8).Select(i => $"reader{i}@example.org").ToList();
        foreach (var other in others) await RequestAsync(app, other);

        await relay.WaitUntilAsync(() => others.All(o => relay.DeliveredTo(o) == 1), "every other confirmation");
        Assert.Equal(0, relay.DeliveredTo("grey@example.org"));

        // Each round is the retry policy's two tries; between rounds the address waits minutes.
        var signal = app.Services.GetRequiredService<ConfirmationSignal>();
        for (var round = 1; round <= 2; round++)
        {
            await app.Logs.WaitForAsync("deferred (", round);
            Assert.Equal(0, relay.DeliveredTo("grey@example.org"));
            _clock.Advance(TimeSpan.FromHours(2));
            signal.Notify();
        }
        await relay.WaitUntilAsync(() => relay.DeliveredTo("grey@example.org") == 1, "the greylisted address's mail");
        Assert.All(others, o => Assert.Equal(1, relay.DeliveredTo(o)));
    }

    [Fact]
    public async Task ABacklogOfConfirmationsDrainsWithoutWaitingForThePoll()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, NoRetryWaits, _clock);
        await SettleAsync(app, "first@example.org");

        // A burst that queued faster than mail went out, as after a restart: rows waiting in the table.
        const int backlog = 450;
        await using (var connection = await app.Database.OpenAsync())
        {
            await using var tx = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync("""
                INSERT INTO subscribers (email, status, created_at, updated_at, subscribed_at, subscribe_source, confirmation_requested_at)
                VALUES (@email, 'pending', @now, @now, @now, 'api', @now)
                """, Enumerable.Range(0, backlog).Select(i => new { email = $"burst{i:000}@example.org", now = "2026-11-29 10:00:00+00:00" }), tx);
            await tx.CommitAsync();
        }
        app.Services.GetRequiredService<ConfirmationSignal>().Notify();

        await Smtp.WaitForCountAsync(m => m.To.StartsWith("burst", StringComparison.Ordinal), backlog, TimeSpan.FromSeconds(25));
    }
}
