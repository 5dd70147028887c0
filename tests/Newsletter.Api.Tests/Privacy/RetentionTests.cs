using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newsletter.Api.Hosting;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Privacy;

/// <summary>
/// Kept only for a while: a sign-up nobody confirmed goes after Privacy:PendingRetentionDays (30), IP
/// addresses after Privacy:IpRetentionDays (365). The sweep runs at start and on its daily schedule.
/// </summary>
public sealed class RetentionTests : OwnFolderAndSmtp
{
    private const string Sweep = "Retention sweep:";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    // Served by Kestrel on loopback, so the requests come from an IP address the service records.
    private NewsletterApp Start()
    {
        var app = new NewsletterApp(Smtp, Folder.Path, clock: _clock);
        app.UseRealServer();
        return app;
    }

    [Fact]
    public async Task OldUnconfirmedSignUpsAreDeletedAtStartAndOldIpAddressesAreDroppedByTheDailySweep()
    {
        await using (var first = Start())
        {
            await first.SubscribeAndConfirmAsync("old-reader@example.org");
            await first.SubscribeAsync("old-pending@example.org");
            _clock.Advance(TimeSpan.FromDays(2));
            await first.SubscribeAndConfirmAsync("new-reader@example.org");
            await first.SubscribeAsync("new-pending@example.org");
            Assert.NotNull(await IpOfAsync(first, "old-reader@example.org"));
        }

        // 31 days after the first sign-up, 29 after the second: the service starts and sweeps.
        _clock.Advance(TimeSpan.FromDays(29));
        await using var app = Start();
        await app.Logs.WaitForAsync(Sweep);

        Assert.Null(await app.StatusOfAsync("old-pending@example.org"));
        Assert.Equal("pending", await app.StatusOfAsync("new-pending@example.org"));
        Assert.Equal("active", await app.StatusOfAsync("old-reader@example.org"));
        Assert.Empty(await app.WhereAsync("old-pending@example.org"));
        Assert.Equal("127.0.0.1", await IpOfAsync(app, "old-reader@example.org"));

        // 366 days after the first reader joined, 364 after the second: the daily job runs.
        _clock.Advance(TimeSpan.FromDays(335));
        var scheduler = await app.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(SchedulingServices.PrivacyRetentionKey);
        await app.Logs.WaitForAsync(Sweep, 2);

        Assert.Null(await IpOfAsync(app, "old-reader@example.org"));
        Assert.Equal("127.0.0.1", await IpOfAsync(app, "new-reader@example.org"));
        Assert.Equal("active", await app.StatusOfAsync("old-reader@example.org"));
    }

    [Fact]
    public async Task AnUnconfirmedSignUpWhoseConfirmationBouncedGoesTooAndItsIdIsNeverGivenAgain()
    {
        long bouncedId;
        await using (var first = Start())
        {
            await first.SubscribeAsync("typo-addres@example.org");
            bouncedId = await IdOfAsync(first, "typo-addres@example.org");
            // The confirmation mail bounced: the row is 'bounced' and was never confirmed.
            await first.Services.GetRequiredService<Newsletter.Core.Subscribers.SubscriberStore>()
                .MarkBouncedAsync([new Newsletter.Core.Subscribers.Bounce(bouncedId, "550 5.1.1 no such user")]);
            Assert.Equal("bounced", await first.StatusOfAsync("typo-addres@example.org"));
        }

        _clock.Advance(TimeSpan.FromDays(31));
        await using var app = Start();
        await app.Logs.WaitForAsync(Sweep);

        Assert.Null(await app.StatusOfAsync("typo-addres@example.org"));
        Assert.Empty(await app.WhereAsync("typo-addres@example.org"));
        // The deleted row had the largest id: the next sign-up must not get it, or a report about the
        // old confirmation mail (its return path names the id, and never expires) would reach them.
        await app.SubscribeAsync("next-reader@example.org");
        Assert.True(await IdOfAsync(app, "next-reader@example.org") > bouncedId);
    }

    private static async Task<long> IdOfAsync(NewsletterApp app, string email)
    {
        await using var connection = await app.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT id FROM subscribers WHERE email = @email", new { email });
    }

    /// <summary>
    /// The one IP address held about the reader (from their sign-up, confirmation and consent
    /// events, which must agree), or null when none is left.
    /// </summary>
    private static async Task<string?> IpOfAsync(NewsletterApp app, string email)
    {
        await using var connection = await app.Database.OpenAsync();
        var ips = (await connection.QueryAsync<string?>("""
            SELECT s.subscribe_ip FROM subscribers s WHERE s.email = @email
            UNION ALL SELECT s.confirm_ip FROM subscribers s WHERE s.email = @email
            UNION ALL SELECT e.ip FROM consent_events e JOIN subscribers s ON s.id = e.subscriber_id WHERE s.email = @email
            """, new { email })).ToList();
        Assert.Equal(4, ips.Count);
        return Assert.Single(ips.Distinct());
    }
}
