using MailKit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Bounces;

namespace Newsletter.Api.Tests.Bounces;

/// <summary>
/// A mailbox on a server that keeps no keywords of the client's making (Dovecot behind a proxy
/// that says so): handled mail is marked \Seen and the last handled UID is kept in the database.
/// </summary>
public sealed class KeywordlessMailboxTests : OwnFolderSmtpAndMailbox
{
    private readonly RecordingMailHandler _handler = new();
    private KeywordlessImapProxy _proxy = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _proxy = new KeywordlessImapProxy(Mailbox.Port);
    }

    public override async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await base.DisposeAsync();
    }

    private NewsletterApp App()
    {
        var settings = Mailbox.Settings();
        settings["Bounces:Imap:Port"] = _proxy.Port.ToString();
        settings["Bounces:Cron"] = "0 0 3 1 1 ? 2099";
        return new NewsletterApp(Smtp, Folder.Path, settings);
    }

    private BounceMailbox MailboxOf(NewsletterApp app) =>
        app.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<IReturnedMailHandler>(_handler)))
            .Services.GetRequiredService<BounceMailbox>();

    [Fact]
    public async Task HandledMailIsMarkedSeenAndNothingIsHandledTwiceAlsoAcrossARestart()
    {
        await Mailbox.DeliverAsync(ReturnedMail.Plain("one@mx.test"));
        await Mailbox.DeliverAsync(ReturnedMail.Plain("two@mx.test"));
        await using (var before = App())
        {
            var mailbox = MailboxOf(before);
            Assert.Equal(2, (await mailbox.ReadAsync(CancellationToken.None)).Handled);
            Assert.Equal(0, (await mailbox.ReadAsync(CancellationToken.None)).Handled);
        }
        var late = await Mailbox.DeliverAsync(ReturnedMail.Plain("three@mx.test"));
        // Read by someone at the mailbox before the service came back: still new to the service.
        using (var person = await Mailbox.ConnectAsync())
        {
            await person.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await person.Inbox.StoreAsync(late, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen));
        }

        await using var after = App();
        var reading = await MailboxOf(after).ReadAsync(CancellationToken.None);

        Assert.True(_proxy.Rewritten > 0, "The service never opened the folder through the keywordless proxy.");
        Assert.Equal(1, reading.Handled);
        Assert.Equal(["one@mx.test", "two@mx.test", "three@mx.test"], _handler.Handled);
        Assert.All(await Mailbox.InboxAsync(), m =>
        {
            Assert.True(m.Flags!.Value.HasFlag(MessageFlags.Seen));
            Assert.DoesNotContain("$NewsletterHandled", m.Keywords);
        });
    }

    [Fact]
    public async Task AMessageWhoseHandlingFailedIsTriedAgainOnTheNextRun()
    {
        await Mailbox.DeliverAsync(ReturnedMail.Plain("fine@mx.test"));
        await Mailbox.DeliverAsync(ReturnedMail.Plain("broken@mx.test"));
        await Mailbox.DeliverAsync(ReturnedMail.Plain("after-broken@mx.test"));
        _handler.Failing["broken@mx.test"] = true;
        await using var app = App();
        var mailbox = MailboxOf(app);

        Assert.Equal(new MailboxReading(2, 1, 0, 0), await mailbox.ReadAsync(CancellationToken.None));
        _handler.Failing.Clear();
        var retry = await mailbox.ReadAsync(CancellationToken.None);

        // Handled again after the gap is the message behind the failed one, which the handler counts once.
        Assert.Equal(0, retry.Failed);
        Assert.Contains("broken@mx.test", _handler.Handled);
        Assert.Single(_handler.Handled, "fine@mx.test");
        Assert.Equal(0, (await mailbox.ReadAsync(CancellationToken.None)).Handled);
    }
}
