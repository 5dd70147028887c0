using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newsletter.Api.Hosting;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Bounces;

namespace Newsletter.Api.Tests.Bounces;

/// <summary>The bounce mailbox read on its schedule (Bounces:Cron), and what an operator sees when it cannot be read.</summary>
public sealed class BounceScheduleTests : OwnFolderSmtpAndMailbox
{
    private const string EverySecond = "0/1 * * * * ?";
    private const string Unreadable = "Could not read the bounce mailbox";

    private readonly RecordingMailHandler _handler = new();

    private Dictionary<string, string?> Settings(string password = DovecotServer.Password)
    {
        var settings = Mailbox.Settings(password);
        settings["Bounces:Cron"] = EverySecond;
        return settings;
    }

    /// <summary>The service with the recording handler, started (its scheduler runs from here on).</summary>
    private WebApplicationFactory<Program> Started(NewsletterApp app)
    {
        var service = app.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<IReturnedMailHandler>(_handler)));
        _ = service.Server;
        return service;
    }

    [Fact]
    public async Task TheMailboxIsReadAtBouncesCronAndMailArrivingLaterIsHandledOnALaterRun()
    {
        await Mailbox.DeliverAsync(ReturnedMail.Plain("early@mx.test"));
        await using var app = new NewsletterApp(Smtp, Folder.Path, Settings());
        Started(app);

        await _handler.WaitForAsync("early@mx.test");
        await Mailbox.DeliverAsync(ReturnedMail.Plain("later@mx.test"));
        await _handler.WaitForAsync("later@mx.test");
        // Runs after "later" was handled: had one of them handled it again, it would show before this one.
        await Mailbox.DeliverAsync(ReturnedMail.Plain("last@mx.test"));
        await _handler.WaitForAsync("last@mx.test");

        Assert.Equal(["early@mx.test", "later@mx.test", "last@mx.test"], _handler.Handled);
        Assert.All(await Mailbox.InboxAsync(), m => Assert.Contains("$NewsletterHandled", m.Keywords));
    }

    [Fact]
    public async Task WithoutAMailboxHostNothingIsRead()
    {
        await Mailbox.DeliverAsync(ReturnedMail.Plain("unread@mx.test"));
        var settings = Settings();
        settings["Bounces:Imap:Host"] = null;
        await using var app = new NewsletterApp(Smtp, Folder.Path, settings);
        var service = Started(app);
        using var client = service.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var scheduler = await service.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
        Assert.False(await scheduler.Exists(SchedulingServices.ReadBouncesKey));
        Assert.Empty(_handler.Handled);
    }

    [Fact]
    public async Task AWrongPasswordIsOneWarningPerRunAndTheServiceStaysUp()
    {
        await Mailbox.DeliverAsync(ReturnedMail.Plain("waiting@mx.test"));
        await using var app = new NewsletterApp(Smtp, Folder.Path, Settings("not-the-password"));
        var service = Started(app);

        // A second warning: the failed run did not stop the schedule; the next one tried again.
        await app.Logs.WaitForAsync(Unreadable, 2);

        using var client = service.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        AssertOneLineWarnings(app, "Authentication failed");
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("not-the-password"));
        Assert.Empty(_handler.Handled);
    }

    [Fact]
    public async Task AMailboxThatStopsAnsweringIsOneWarningPerRunAndTheServiceStaysUp()
    {
        await Mailbox.DeliverAsync(ReturnedMail.Plain("before-the-stop@mx.test"));
        await using var app = new NewsletterApp(Smtp, Folder.Path, Settings());
        var service = Started(app);
        await _handler.WaitForAsync("before-the-stop@mx.test");

        await Mailbox.StopAsync();
        await app.Logs.WaitForAsync(Unreadable, 2);

        using var client = service.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        AssertOneLineWarnings(app, $"127.0.0.1:{Mailbox.Port}");
    }

    /// <summary>Each failed run is a warning naming the server and the reason, without a stack trace; nothing is logged as an error.</summary>
    private static void AssertOneLineWarnings(NewsletterApp app, string reason)
    {
        var warnings = app.Logs.Entries.Where(e => e.Message.Contains(Unreadable)).ToList();
        Assert.All(warnings, w =>
        {
            Assert.Equal(LogLevel.Warning, w.Level);
            Assert.Null(w.Exception);
            Assert.Contains(reason, w.Message);
            Assert.DoesNotContain('\n', w.Message);
        });
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= LogLevel.Error);
    }
}
