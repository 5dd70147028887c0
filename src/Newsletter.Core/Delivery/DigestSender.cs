using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Core.Digests;
using Newsletter.Core.Options;
using Newsletter.Core.Subscribers;
using Newsletter.Core.Telemetry;

namespace Newsletter.Core.Delivery;

/// <summary>
/// Sends one digest from its ledger. Only pending rows are read, so a run after a stop or crash
/// continues where the last one ended; a graceful stop lets every handed-over message finish and
/// be recorded. The work of a run is <see cref="DigestRun"/>'s; this class starts and ends it.
/// </summary>
public sealed class DigestSender(
    DigestStore digests,
    DeliveryLedger ledger,
    SubscriberStore subscribers,
    DeliveryPool pool,
    DigestCopies copies,
    SendProgress progress,
    UnsubscribeWatch unsubscribes,
    ReturnPaths returnPaths,
    SendInstance instance,
    SendInstances instances,
    NewsletterMetrics metrics,
    DueReadersSignal dueReaders,
    TimeProvider clock,
    IOptions<SmtpOptions> smtpOptions,
    IOptions<DigestOptions> digestOptions,
    ILogger<DigestSender> logger)
{
    private readonly ConcurrentDictionary<long, byte> _active = new();

    // Each run opens Smtp:MaxConnections connections; the relay's limit is the service's, not each
    // digest's: a second digest made the same morning (the weekly one) waits for the first.
    private readonly SemaphoreSlim _oneRunAtATime = new(1, 1);

    /// <summary>Whether this process is sending the digest now (its run will meet what comes due, or notify when it ends).</summary>
    public bool IsRunning(long digestId) => _active.ContainsKey(digestId);

    public async Task SendAsync(long digestId, CancellationToken stopping)
    {
        // One run per digest in this process; a second request while one runs has nothing to add.
        if (!_active.TryAdd(digestId, 0)) return;
        try
        {
            await _oneRunAtATime.WaitAsync(stopping);
            try
            {
                await RunAsync(digestId, stopping);
            }
            finally
            {
                _oneRunAtATime.Release();
            }
        }
        finally
        {
            _active.TryRemove(digestId, out _);
            progress.Stop(digestId);
        }
    }

    /// <summary>How many results (skips included) may wait for the recorder.</summary>
    public static int ResultsInFlight(SmtpOptions smtp) => 4 * smtp.MaxConnections;

    /// <summary>
    /// How many messages may be out (sent or on the wire) before their results are committed: the
    /// bound on what a kill -9 can make a reader get twice. Shared (PostgreSQL, where another instance
    /// takes over at once): one per connection on the wire and one answered, 2 x Smtp:MaxConnections.
    /// Alone (SQLite): no tighter than the results queue already makes it (the connections, the queue
    /// and the group being committed); holding senders back to 2 x would cost 8% of the send's speed
    /// (bench/README.md, issue 12) for a bound only a cluster needs.
    /// </summary>
    public static int UnrecordedSends(SmtpOptions smtp, bool shared) =>
        shared ? 2 * smtp.MaxConnections : smtp.MaxConnections + 2 * ResultsInFlight(smtp);

    private async Task RunAsync(long digestId, CancellationToken stopping)
    {
        var digest = await digests.FindAsync(digestId, stopping);
        // Only a queued digest, or one whose run a stop or crash interrupted, is sent.
        if (digest is null || !await digests.TransitionAsync(digestId, [DigestStatus.Queued, DigestStatus.Sending], DigestStatus.Sending, null, stopping))
            return;

        using var activity = NewsletterActivities.Source.StartActivity(NewsletterActivities.SendDigest);
        activity?.SetTag("newsletter.digest_id", digestId);
        var smtp = smtpOptions.Value;
        var counts = await ledger.CountsAsync(digestId, stopping);
        var tracker = progress.Start(digestId, counts);
        var maker = await copies.PrepareAsync(digest, stopping);
        SendMemory.BeforeSend(counts.Pending);
        // Made after the preparation (the first render compiles the templates, a second or more):
        // the rate cap's schedule starts with the sending, or it would catch up with a burst.
        using var run = new SendRun(smtp.MessagesPerSecond, clock, stopping);
        var digestRun = new DigestRun(digestId, maker, tracker, run, ResultsInFlight(smtp), UnrecordedSends(smtp, instances.Shared), () => instances.LeaseHeld, instances.Shared, ledger, subscribers, unsubscribes, returnPaths, metrics, clock, logger);

        var work = Channel.CreateBounded<DueDelivery>(new BoundedChannelOptions(smtp.MaxConnections * 64) { SingleWriter = true });
        // No message of this digest is in flight here (one run per digest per process): claims this
        // instance still holds are left by a run whose clean-up failed, and would be no one's to take.
        try
        {
            await ledger.ReleaseAsync(digestId, instance.Id, stopping);
            await instances.SendingAsync(digestId, stopping);
        }
        catch
        {
            await CleanUpAsync(() => instances.SendingAsync(null, CancellationToken.None), "ending its part", digestId);
            throw;
        }
        var recorder = digestRun.RecordAsync();
        var senders = pool.RunAsync(work.Reader, digestRun, run);
        using var sent = CancellationTokenSource.CreateLinkedTokenSource(run.Halt);
        var sharing = KeepRateSharedAsync(digestId, run, sent.Token);
        try
        {
            await digestRun.ReadLedgerAsync(work.Writer, digestOptions.Value.BatchSize, instance.Id, ct => ShareRateAsync(digestId, run, ct));
        }
        finally
        {
            work.Writer.TryComplete();
            await senders;
            await sent.CancelAsync();
            await sharing;
            digestRun.CompleteResults();
            await recorder;
            // Rows claimed but not handed to a sender (a stop, a failure) are anyone's again at once.
            await CleanUpAsync(() => ledger.ReleaseAsync(digestId, instance.Id, CancellationToken.None), "releasing its claims", digestId);
            await CleanUpAsync(() => instances.SendingAsync(null, CancellationToken.None), "ending its part", digestId);
        }

        if (run.FailureReason is null) metrics.Failed(MessageKind.Digest, digestRun.PassingFailures);
        activity?.SetTag("newsletter.recorded", tracker.Done);
        if (run.FailureReason is { } reason) activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, reason);
        await FinishAsync(digestId, run.FailureReason, tracker);
    }

    /// <summary>
    /// With a rate cap, looks again every <see cref="RateShareLook"/> how many instances send
    /// this digest. Claims alone are not enough: an instance claims a batch plus the work queue ahead
    /// (1,000 + 256 rows by default, half a minute at 50/s), so one that stops claiming, or has claimed
    /// the rest, would keep the whole cap while an instance that joins takes its part too.
    /// </summary>
    private static readonly TimeSpan RateShareLook = TimeSpan.FromMilliseconds(200);

    private async Task KeepRateSharedAsync(long digestId, SendRun run, CancellationToken ct)
    {
        if (!run.Pacer.Enabled) return;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RateShareLook, clock, ct);
                await ShareRateAsync(digestId, run, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The last share stays; the next look may succeed.
                logger.LogWarning("Counting the instances that send digest {Id} failed: {Reason}", digestId, e.Message);
            }
        }
    }

    /// <summary>One step of a run's end; a failure is logged and the next step still runs (the next run releases what is left).</summary>
    private async Task CleanUpAsync(Func<Task> step, string what, long digestId)
    {
        try
        {
            await step();
        }
        catch (Exception e)
        {
            logger.LogWarning("Digest {Id}: {What} failed: {Reason}", digestId, what, e.Message);
        }
    }

    /// <summary>With a rate cap, each instance sending this digest takes its part of it (Smtp:MessagesPerSecond is the cluster's).</summary>
    private async Task ShareRateAsync(long digestId, SendRun run, CancellationToken ct)
    {
        if (run.Pacer.Enabled) run.Pacer.ShareWith(await instances.SendingCountAsync(digestId, ct));
    }

    private async Task FinishAsync(long digestId, string? failure, SendProgress.Tracker tracker)
    {
        if (failure is not null)
        {
            // Nothing is burned: what failed for a passing reason goes back to pending for the resume,
            // in the transaction that stops the digest. Another instance may have finished it
            // meanwhile (sent): then nothing is reopened, or its rows would wait in a sent digest for ever.
            if (!await digests.StopAsFailedAsync(digestId, failure, CancellationToken.None))
            {
                logger.LogWarning("Digest {Id}: this instance's run stopped ({Reason}), but the digest was no longer sending", digestId, failure);
                return;
            }
            logger.LogError("Digest {Id} stopped as failed: {Reason}. Fix the cause, then POST /api/admin/digests/{Id}/resume",
                digestId, failure, digestId);
            return;
        }

        var counts = await ledger.CountsAsync(digestId, CancellationToken.None);
        if (counts.Pending > 0)
        {
            // Readers who chose their own hour wait for it, and readers whose servers deferred the
            // mail wait for their next round (DueReaders sends them then); anything else pending was
            // left by a stop, and the next start resumes it.
            logger.LogInformation("Digest {Id} has {Pending} deliveries pending: readers waiting for their own hour or their server, or a stop",
                digestId, counts.Pending);
            // The waiting service skipped this digest while it ran, and a deferral may be due soonest: it looks again.
            dueReaders.Notify();
            return;
        }
        // Instances sharing the send may finish together: the one whose transition succeeds reports it.
        if (!await digests.TransitionAsync(digestId, [DigestStatus.Sending], DigestStatus.Sent, null, CancellationToken.None)) return;
        logger.LogInformation("Digest {Id} sent: {Sent} sent, {Failed} failed, {Skipped} skipped, {Rate:0} messages/s",
            digestId, counts.Sent, counts.Failed, counts.Skipped, tracker.Rate);
    }
}
