using Microsoft.Extensions.Logging;
using MimeKit;
using Newsletter.Core.Delivery;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Bounces;

/// <summary>
/// What a returned mail changes. It is about a subscriber when the signed return path it came back
/// to says so (reports are mangled and can be forged; the token cannot), or, only when messages go
/// out without signed return paths, when the address the report names is a subscriber's. A hard bounce marks them bounced, as do
/// <see cref="SoftLimit"/> soft ones within <see cref="SoftWindow"/>; a complaint unsubscribes them.
/// Each returned message counts once, however often it is handed in.
/// </summary>
public sealed class BounceHandler(
    BounceStore bounces,
    SubscriberStore subscribers,
    SubscriptionService subscriptions,
    UnsubscribeWatch unsubscribes,
    ReturnPaths returnPaths,
    TimeProvider clock,
    ILogger<BounceHandler> logger) : IReturnedMailHandler
{
    public const int SoftLimit = 3;
    public static readonly TimeSpan SoftWindow = TimeSpan.FromDays(14);

    public async Task<BounceResult> HandleAsync(MimeMessage message, CancellationToken ct)
    {
        var report = BounceClassifier.Read(message);
        if (report.Action == BounceAction.Ignored) return new BounceResult(BounceAction.Ignored, null);

        var (subscriber, digestId) = await WhoseAsync(report, ct);
        if (subscriber is null)
        {
            logger.LogInformation("A returned mail ({Action}) names no subscriber; ignored", report.Action);
            return new BounceResult(BounceAction.Ignored, null);
        }

        // Per reader: a report reusing another's Message-ID (by accident, or planted) counts for its own.
        var reportId = MessageKeys.Of(message);
        if (await bounces.FindAsync(subscriber.Id, reportId, ct) is { } earlier)
            return new BounceResult(earlier.Kind, subscriber.Email);

        var entry = new BounceEntry
        {
            SubscriberId = subscriber.Id, DigestId = digestId, Kind = report.Action,
            StatusCode = report.StatusCode, Diagnostic = report.Diagnostic, ReceivedAt = clock.GetUtcNow(),
        };
        // The effects first, then the record: both are safe to repeat, so a failure between them
        // is made good when the same mail is handed in again.
        await ApplyAsync(entry, ct);
        await bounces.RecordAsync(entry, reportId, ct);
        logger.LogInformation("Returned mail for subscriber {Id}: {Action} {Status}", subscriber.Id, report.Action, report.StatusCode);
        return new BounceResult(report.Action, subscriber.Email);
    }

    private async Task ApplyAsync(BounceEntry entry, CancellationToken ct)
    {
        switch (entry.Kind)
        {
            case BounceAction.Complaint:
                await subscriptions.ComplainedAsync(entry.SubscriberId, ct);
                break;
            case BounceAction.Hard:
                await MarkBouncedAsync(entry, ct);
                break;
            case BounceAction.Soft:
                // This one is not stored yet: it is the last of the ones counted.
                var earlier = await bounces.SoftBouncesSinceAsync(entry.SubscriberId, entry.ReceivedAt - SoftWindow, ct);
                if (earlier + 1 >= SoftLimit) await MarkBouncedAsync(entry, ct);
                break;
        }
    }

    private async Task MarkBouncedAsync(BounceEntry entry, CancellationToken ct)
    {
        var reason = string.Join(" ", new[] { entry.Kind == BounceAction.Soft ? $"{SoftLimit} soft bounces:" : null, entry.StatusCode, entry.Diagnostic }
            .Where(s => s is not null));
        await subscribers.MarkBouncedAsync([new Bounce(entry.SubscriberId, reason.Length == 0 ? "returned mail" : reason)], ct);
        unsubscribes.Left(entry.SubscriberId);
    }

    /// <summary>The subscriber (and digest) from the first return path that verifies, else the report's recipient if known.</summary>
    private async Task<(Subscriber? Subscriber, long? DigestId)> WhoseAsync(BounceReport report, CancellationToken ct)
    {
        foreach (var address in report.ReturnPaths)
        {
            if (!returnPaths.TryRead(address, out var subscriberId, out var digestId)) continue;
            return (await subscribers.FindAsync(subscriberId, ct), digestId == 0 ? null : digestId);
        }
        // With signed return paths every genuine report carries one (in the address it was sent to,
        // or the attached original): a report naming a reader without it is a forgery anyone could
        // mail to the bounce address to get a reader dropped, so it changes nothing.
        if (report.Recipient is null || returnPaths.AreSigned) return (null, null);
        var named = await subscribers.FindByEmailAsync(report.Recipient, ct);
        return (named, named is null ? null : DigestOf(report.OriginalMessageId, named.Id));
    }

    // The attached original's Message-ID is unsigned: its digest is taken only when the subscriber in
    // it is the one the report named.
    private static long? DigestOf(string? messageId, long subscriberId) =>
        DigestMessageIds.TryRead(messageId, out var digestId, out var named) && named == subscriberId ? digestId : null;
}
