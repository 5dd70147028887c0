using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Digests;

/// <summary>Sends interrupted by a stop continue on the next start, and nobody gets a digest twice.</summary>
public sealed class DigestResumeTests : OwnFolderAndSmtp
{
    private static readonly Dictionary<string, string?> OneConnection = new() { ["Smtp:MaxConnections"] = "1" };

    [Fact]
    public async Task ASendStoppedMidwayResumesOnTheNextStartWithoutDuplicates()
    {
        var date = new DateOnly(2026, 8, 1);
        var readers = Enumerable.Range(1, 12).Select(i => $"resume{i:00}@example.org").ToList();
        long id;

        await using (var first = new NewsletterApp(Smtp, Folder.Path, OneConnection))
        {
            foreach (var reader in readers) await first.SubscribeAndConfirmAsync(reader);
            await first.ImportAsync(PaperFixtures.Day(date, 3));

            Smtp.Hold();
            var (_, body, _) = await first.TriggerAsync(date);
            id = body.GetProperty("id").GetInt64();
            await Smtp.WaitForHeldMessageAsync();

            // The operator stops the service while a message is in flight; it finishes, then the send pauses.
            first.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            Smtp.Release();
        }

        var before = Smtp.Received.Count(m => m.Message.Subject!.Contains("2026-08-01"));
        Assert.InRange(before, 1, readers.Count - 1);

        await using var second = new NewsletterApp(Smtp, Folder.Path, OneConnection);
        await second.WaitForDigestAsync(id, "sent");
        foreach (var reader in readers)
            Assert.Single(Smtp.MailTo(reader), m => m.Message.Subject!.Contains("2026-08-01"));
    }

    [Fact]
    public async Task SomeoneWhoUnsubscribesDuringASendIsSkipped()
    {
        var date = new DateOnly(2026, 8, 2);
        await using var app = new NewsletterApp(Smtp, Folder.Path, OneConnection);
        await app.SubscribeAndConfirmAsync("first-in-line@example.org");
        await app.SubscribeAndConfirmAsync("second-in-line@example.org");
        await app.SubscribeAndConfirmAsync("leaves-meanwhile@example.org");
        await app.ImportAsync(PaperFixtures.Day(date, 2));

        Smtp.Hold();
        var (_, body, _) = await app.TriggerAsync(date);
        await Smtp.WaitForHeldMessageAsync();

        // The digest was made with all three in its ledger; one leaves while the first mail is in flight.
        var leaving = Smtp.MailTo("leaves-meanwhile@example.org").Single(m => m.Message.Subject!.Contains("Confirm"));
        var id = Tokens.SubscriberId(Mail.ConfirmLink(leaving.Message));
        var token = app.Services.GetRequiredService<Newsletter.Core.Security.SubscriberTokens>().CreateUnsubscribe(id);
        using var client = app.CreatePublicClient();
        await client.PostAsync($"/unsubscribe?token={token}", null);
        Smtp.Release();

        var done = await app.WaitForDigestAsync(body.GetProperty("id").GetInt64(), "sent");
        Assert.Equal(1, done.GetProperty("skipped").GetInt64());
        Assert.DoesNotContain(Smtp.MailTo("leaves-meanwhile@example.org"), m => m.Message.Subject!.Contains("2026-08-02"));
        Assert.Single(Smtp.MailTo("second-in-line@example.org"), m => m.Message.Subject!.Contains("2026-08-02"));
    }

    [Fact]
    public async Task AServiceThatWasDownAtTheScheduledTimeSendsTodaysDigestOnceWhenItStarts()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using (var before = new NewsletterApp(Smtp, Folder.Path))
        {
            await before.SubscribeAndConfirmAsync("late-start@example.org");
            await before.ImportAsync(PaperFixtures.Day(today, 2));
        }

        // Due at midnight (UTC) every day: today's time has passed while the service was down.
        var midnight = new Dictionary<string, string?> { ["Digest:Cron"] = "0 0 0 * * ?" };
        await using (var late = new NewsletterApp(Smtp, Folder.Path, midnight))
        {
            _ = late.Server;
            await Smtp.WaitForMailToAsync("late-start@example.org", today.ToString("yyyy-MM-dd"));
            await late.WaitForDigestAsync(1, "sent");
        }

        await using (var again = new NewsletterApp(Smtp, Folder.Path, midnight))
        {
            // Started again the same day: the digest exists, nothing goes out twice.
            await again.SubscribeAsync("marker-late@example.org");
        }
        Assert.Single(Smtp.MailTo("late-start@example.org"), m => m.Message.Subject!.Contains(today.ToString("yyyy-MM-dd")));
    }
}
