using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Core.Options;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Privacy;

/// <summary>
/// The retention sweep: sign-ups never confirmed go after Privacy:PendingRetentionDays, IP
/// addresses after Privacy:IpRetentionDays. Run daily and at start; running it twice, or on two
/// instances at once, does nothing the second time.
/// </summary>
public sealed class PrivacyRetention(
    SubscriberStore subscribers, IOptions<PrivacyOptions> privacy, IOptions<NewsletterOptions> newsletter, TimeProvider clock,
    ILogger<PrivacyRetention> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Never while the sign-up's confirmation link still works: SQLite may give a deleted row's id
        // to the next sign-up, and that link would then confirm someone else.
        var pendingAge = TimeSpan.FromDays(privacy.Value.PendingRetentionDays);
        if (pendingAge < newsletter.Value.ConfirmationLinkLifetime) pendingAge = newsletter.Value.ConfirmationLinkLifetime;
        var deleted = await subscribers.DeleteUnconfirmedAsync(now - pendingAge, ct);
        var dropped = await subscribers.DropIpsAsync(now - TimeSpan.FromDays(privacy.Value.IpRetentionDays), ct);
        logger.LogInformation("Retention sweep: {Deleted} unconfirmed sign-ups deleted, {Dropped} IP addresses dropped", deleted, dropped);
    }
}
