using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newsletter.Api.Tests.Bounces;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Bounces;
using Newsletter.Core.Options;

namespace Newsletter.Api.Tests.Replies;

/// <summary>
/// Replies read from a real IMAP mailbox (Dovecot): the bounce mailbox, where they arrive beside
/// returned mail, or a mailbox of their own. Each is applied once, also across a restart.
/// </summary>
public sealed class ReplyMailboxTests : OwnFolderSmtpAndMailbox
{
    private Dictionary<string, string?> BounceMailboxSettings()
    {
        var settings = Mailbox.Settings();
        settings["Bounces:Cron"] = "0 0 3 1 1 ? 2099";
        settings["Replies:Domain"] = ReplyMails.Domain;
        return settings;
    }

    private static async Task<JsonElement> PreferencesOf(NewsletterApp app, Reader reader)
    {
        using var client = app.CreatePublicClient();
        return await client.PreferencesAsync(reader);
    }

    [Fact]
    public async Task RepliesInTheBounceMailboxAreAppliedOnceAcrossARestartAndReturnedMailBesideThemStillCounts()
    {
        Reader reader;
        await using (var app = new NewsletterApp(Smtp, Folder.Path, BounceMailboxSettings()))
        {
            await app.SubscribeAndConfirmAsync("gone@example.org");
            (reader, var digest) = await app.ReaderWithDigestAsync("imap-reader@example.org", new DateOnly(2026, 5, 4));
            await Mailbox.DeliverAsync(ReplyMails.Plain(digest, reader.Email, "weekly"));
            // Delivered to the reply address, addressed to another: the server's Delivered-To says where it went.
            var forwarded = ReplyMails.Plain(digest, reader.Email, "more: diffusion", to: "Daily Papers <papers@localhost>");
            forwarded.Headers.Add("Delivered-To", ReplyMails.ReplyAddress(digest));
            await Mailbox.DeliverAsync(forwarded);
            await Mailbox.DeliverAsync(ReturnedMail.HardBounce("dsn-gone@mx.example.org", "gone@example.org"));

            var reading = await app.Services.GetRequiredService<BounceMailbox>().ReadAsync(CancellationToken.None);

            Assert.Equal(3, reading.Handled);
            var preferences = await PreferencesOf(app, reader);
            Assert.Equal("weekly", preferences.GetProperty("frequency").GetString());
            Assert.Equal(["diffusion"], preferences.GetProperty("topics").Strings());
            Assert.Equal("bounced", await app.StatusOfAsync("gone@example.org"));
            Assert.Single(app.AnswersTo(reader.Email));
        }

        await using var restarted = new NewsletterApp(Smtp, Folder.Path, BounceMailboxSettings());
        // The reader takes the topic back through their link; reading the mailbox again must not add it once more.
        using (var client = restarted.CreatePublicClient())
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.PatchAsync(reader, """{"topics":[]}""")).StatusCode);
        var again = await restarted.Services.GetRequiredService<BounceMailbox>().ReadAsync(CancellationToken.None);

        Assert.Equal(0, again.Handled);
        Assert.Empty((await PreferencesOf(restarted, reader)).GetProperty("topics").EnumerateArray());
        Assert.Single(restarted.AnswersTo(reader.Email));
        Assert.All(await Mailbox.InboxAsync(), m => Assert.Contains("$NewsletterHandled", m.Keywords));
    }

    [Fact]
    public async Task AMailboxOfTheirOwnForRepliesIsReadTheSameWay()
    {
        var settings = new Dictionary<string, string?> { ["Replies:Domain"] = ReplyMails.Domain, ["Replies:Cron"] = "0 0 3 1 1 ? 2099" };
        foreach (var (key, value) in Mailbox.Settings()) settings[key.Replace("Bounces:", "Replies:")] = value;
        await using var app = new NewsletterApp(Smtp, Folder.Path, settings);
        var (reader, digest) = await app.ReaderWithDigestAsync("own-box@example.org", new DateOnly(2026, 5, 5));
        await Mailbox.DeliverAsync(ReplyMails.Plain(digest, reader.Email, "papers: 3\n-1"));
        var imap = app.Services.GetRequiredService<IOptions<RepliesOptions>>().Value.Imap;
        var mailbox = app.Services.GetRequiredService<BounceMailbox>();

        var first = await mailbox.ReadAsync(imap, CancellationToken.None);
        var second = await mailbox.ReadAsync(imap, CancellationToken.None);

        Assert.Equal((1, 0), (first.Handled, second.Handled));
        var preferences = await PreferencesOf(app, reader);
        Assert.Equal(3, preferences.GetProperty("maxPapers").GetInt32());
        Assert.Equal(-1, Assert.Single(preferences.GetProperty("votes").EnumerateArray()).GetProperty("vote").GetInt32());
        Assert.Single(app.AnswersTo(reader.Email));
    }
}
