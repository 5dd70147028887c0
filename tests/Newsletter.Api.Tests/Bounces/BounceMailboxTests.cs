using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Bounces;

namespace Newsletter.Api.Tests.Bounces;

/// <summary>
/// The bounce mailbox read from a real IMAP server (Dovecot). The reading is what the scheduled job
/// runs; here it is started by the test so each run is known to be over (the schedule itself:
/// <see cref="BounceScheduleTests"/>). The handler is a recording stand-in, except in the last test.
/// </summary>
public sealed class BounceMailboxTests : OwnFolderSmtpAndMailbox
{
    private readonly RecordingMailHandler _handler = new();

    private Dictionary<string, string?> Settings()
    {
        var settings = Mailbox.Settings();
        settings["Bounces:Cron"] = "0 0 3 1 1 ? 2099";
        return settings;
    }

    private WebApplicationFactory<Program> WithRecordingHandler(NewsletterApp app) =>
        app.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<IReturnedMailHandler>(_handler)));

    private static Task<MailboxReading> ReadAsync(WebApplicationFactory<Program> service) =>
        service.Services.GetRequiredService<BounceMailbox>().ReadAsync(CancellationToken.None);

    [Fact]
    public async Task EachNewMessageIsHandedOverOnceInTheOrderItArrivedAndMarkedInTheMailbox()
    {
        foreach (var id in new[] { "first@mx.test", "second@mx.test", "third@mx.test" })
            await Mailbox.DeliverAsync(ReturnedMail.Plain(id));
        await using var app = new NewsletterApp(Smtp, Folder.Path, Settings());
        var service = WithRecordingHandler(app);

        var first = await ReadAsync(service);
        var second = await ReadAsync(service);

        Assert.Equal(new MailboxReading(3, 0, 0, 0), first);
        Assert.Equal(new MailboxReading(0, 0, 0, 0), second);
        Assert.Equal(["first@mx.test", "second@mx.test", "third@mx.test"], _handler.Handled);
        var inbox = await Mailbox.InboxAsync();
        Assert.Equal(3, inbox.Count);
        Assert.All(inbox, m =>
        {
            Assert.True(m.Flags!.Value.HasFlag(MessageFlags.Seen), $"{m.Envelope?.MessageId} is not marked seen.");
            Assert.Contains("$NewsletterHandled", m.Keywords);
        });
    }

    [Fact]
    public async Task NothingIsHandledTwiceAcrossARestartAndMailArrivingLaterIsHandledOnTheNextRun()
    {
        await Mailbox.DeliverAsync(ReturnedMail.Plain("before-restart@mx.test"));
        await using (var before = new NewsletterApp(Smtp, Folder.Path, Settings()))
        {
            Assert.Equal(1, (await ReadAsync(WithRecordingHandler(before))).Handled);
        }
        await Mailbox.DeliverAsync(ReturnedMail.Plain("after-restart@mx.test"));

        await using var after = new NewsletterApp(Smtp, Folder.Path, Settings());
        var reading = await ReadAsync(WithRecordingHandler(after));

        Assert.Equal(1, reading.Handled);
        Assert.Equal(["before-restart@mx.test", "after-restart@mx.test"], _handler.Handled);
    }

    [Fact]
    public async Task AMessageWhoseHandlingFailsStaysUnmarkedIsLoggedWithoutItsBodyAndIsTriedAgain()
    {
        await Mailbox.DeliverAsync(ReturnedMail.Plain("fine-1@mx.test"));
        var broken = await Mailbox.DeliverAsync(ReturnedMail.Plain("broken@mx.test", "Secret reader text 8d1f"));
        await Mailbox.DeliverAsync(ReturnedMail.Plain("fine-2@mx.test"));
        _handler.Failing["broken@mx.test"] = true;
        await using var app = new NewsletterApp(Smtp, Folder.Path, Settings());
        var service = WithRecordingHandler(app);

        var failing = await ReadAsync(service);

        Assert.Equal(new MailboxReading(2, 1, 0, 0), failing);
        Assert.Equal(["fine-1@mx.test", "fine-2@mx.test"], _handler.Handled);
        var unmarked = Assert.Single(await Mailbox.InboxAsync(), m => !m.Keywords.Contains("$NewsletterHandled"));
        Assert.Equal(broken, unmarked.UniqueId);
        var warning = Assert.Single(app.Logs.Lines, l => l.Contains("Could not handle the returned mail"));
        Assert.Contains($"UID {broken.Id}", warning);
        Assert.Contains("The classifier broke down", warning);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("Secret reader text"));

        _handler.Failing.Clear();
        var retry = await ReadAsync(service);

        Assert.Equal(new MailboxReading(1, 0, 0, 0), retry);
        Assert.Equal(["fine-1@mx.test", "fine-2@mx.test", "broken@mx.test"], _handler.Handled);
    }

    [Fact]
    public async Task AMessageTooLargeForReturnedMailIsSkippedWithAWarningAndMarked()
    {
        var line = new string('x', 76) + "\r\n";
        var body = string.Concat(Enumerable.Repeat(line, (int)(BounceMailbox.MaxMessageBytes / line.Length) + 100));
        await Mailbox.DeliverAsync(ReturnedMail.Plain("huge@mx.test", body));
        await Mailbox.DeliverAsync(ReturnedMail.Plain("small@mx.test"));
        await using var app = new NewsletterApp(Smtp, Folder.Path, Settings());

        var reading = await ReadAsync(WithRecordingHandler(app));

        Assert.Equal(new MailboxReading(1, 0, 1, 0), reading);
        Assert.Equal(["small@mx.test"], _handler.Handled);
        Assert.All(await Mailbox.InboxAsync(), m => Assert.Contains("$NewsletterHandled", m.Keywords));
        Assert.Single(app.Logs.Lines, l => l.Contains("is too large for returned mail"));
    }

    /// <summary>
    /// NEEDS THE REAL CLASSIFIER (BounceHandler, built on another branch): fails until that is
    /// merged, because no <see cref="IReturnedMailHandler"/> is registered here without it.
    /// </summary>
    [Fact]
    public async Task AHardBounceDeliveredToTheMailboxMarksTheSubscriberBounced()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, Settings());
        await app.SubscribeAndConfirmAsync("gone@example.org");
        await app.SubscribeAndConfirmAsync("still-here@example.org");
        await Mailbox.DeliverAsync(ReturnedMail.HardBounce("dsn-1@mx.example.org", "gone@example.org"));

        await ReadAsync(app);

        using var admin = app.CreateAdminClient();
        var response = await admin.GetAsync("/api/admin/subscribers?status=bounced");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bounced = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(s => s.GetProperty("email").GetString());
        Assert.Equal(["gone@example.org"], bounced);
        Assert.Equal("active", await app.StatusOfAsync("still-here@example.org"));
    }
}
