using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Core.Digests;
using Newsletter.Core.Email;
using Newsletter.Core.Options;
using Newsletter.Core.Security;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Delivery;

/// <summary>
/// Sends one digest from its ledger: a reader pages through the pending rows by key, workers (one
/// SMTP connection each) send, and a recorder commits results in groups. Only pending rows are
/// read, so a run after a stop or crash continues where the last one ended; a graceful stop lets
/// every handed-over message finish and be recorded.
/// </summary>
public sealed class DigestSender(
    DigestStore digests,
    DeliveryStore ledger,
    IMailTransport transport,
    SubscriberTokens tokens,
    MailComposer composer,
    SendProgress progress,
    UnsubscribeWatch unsubscribes,
    TimeProvider clock,
    IOptions<SmtpOptions> smtpOptions,
    IOptions<DigestOptions> digestOptions,
    IOptions<NewsletterOptions> newsletterOptions,
    ILogger<DigestSender> logger)
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<long, byte> _active = new();

    public async Task SendAsync(long digestId, CancellationToken stopping)
    {
        // One run per digest in this process; a second request while one runs has nothing to add.
        if (!_active.TryAdd(digestId, 0)) return;
        try
        {
            await RunAsync(digestId, stopping);
        }
        finally
        {
            _active.TryRemove(digestId, out _);
            progress.Stop(digestId);
        }
    }

    private async Task RunAsync(long digestId, CancellationToken stopping)
    {
        var digest = await digests.FindAsync(digestId, stopping);
        if (digest is null || digest.Status is DigestStatus.Sent or DigestStatus.Failed) return;

        await digests.SetStatusAsync(digestId, DigestStatus.Sending, null, stopping);
        var factory = new DigestMessageFactory(digest, composer.From, composer.Sender.Name, new PublicUrls(newsletterOptions.Value.BaseUrl), tokens);
        var smtp = smtpOptions.Value;
        var tracker = progress.Start(digestId, await digests.CountsAsync(digestId, stopping));
        var pacer = new SendPacer(smtp.MessagesPerSecond, clock);
        using var halt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var breaker = new SendBreaker(halt);

        var work = Channel.CreateBounded<DueDelivery>(new BoundedChannelOptions(smtp.MaxConnections * 64) { SingleWriter = true });
        // Bounded, so results wait to be committed only briefly: after a crash at most this many,
        // plus the messages in flight, can have been sent without being recorded.
        var results = Channel.CreateBounded<DeliveryResult>(new BoundedChannelOptions(ResultsInFlight(smtp)) { SingleReader = true });

        var recorder = RecordAsync(digestId, results.Reader, tracker, breaker);
        var workers = Enumerable.Range(0, smtp.MaxConnections).Select(_ => Task.Run(async () =>
        {
            await using var worker = new DeliveryWorker(transport, smtp, logger);
            try
            {
                await foreach (var item in work.Reader.ReadAllAsync(CancellationToken.None))
                {
                    if (halt.IsCancellationRequested) break;
                    if (unsubscribes.HasLeft(item.SubscriberId))
                    {
                        await results.Writer.WriteAsync(Skipped(item.SubscriberId, SubscriberStatus.Unsubscribed));
                        continue;
                    }
                    await pacer.WaitAsync(halt.Token);
                    var result = await worker.DeliverAsync(item, () => factory.Create(item.SubscriberId, item.Email), halt.Token);
                    if (result is null) break;
                    await results.Writer.WriteAsync(result);
                }
            }
            catch (DeliveryWorker.RelayUnavailableException e)
            {
                breaker.Trip(e.Message);
            }
            catch (OperationCanceledException) when (halt.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                logger.LogError(e, "A sender of digest {Id} failed", digestId);
                breaker.Trip($"the sender failed: {e.Message}");
            }
        })).ToList();

        try
        {
            await ReadLedgerAsync(digestId, work.Writer, results.Writer, halt.Token);
        }
        finally
        {
            work.Writer.TryComplete();
            await Task.WhenAll(workers);
            results.Writer.TryComplete();
            await recorder;
        }

        await FinishAsync(digestId, breaker.Reason, tracker);
    }

    private async Task ReadLedgerAsync(long digestId, ChannelWriter<DueDelivery> work, ChannelWriter<DeliveryResult> results, CancellationToken halt)
    {
        var batch = digestOptions.Value.BatchSize;
        var after = 0L;
        try
        {
            while (!halt.IsCancellationRequested)
            {
                var due = await ledger.DueAsync(digestId, after, batch, halt);
                foreach (var item in due)
                {
                    // Left or bounced since the digest was made: never sent, and said so in the ledger.
                    if (item.Status != SubscriberStatus.Active)
                        await results.WriteAsync(Skipped(item.SubscriberId, item.Status), halt);
                    else
                        await work.WriteAsync(item, halt);
                }
                if (due.Count < batch) return;
                after = due[^1].SubscriberId;
            }
        }
        catch (OperationCanceledException) when (halt.IsCancellationRequested)
        {
        }
    }

    /// <summary>How many results may wait for the recorder: the bound on sent-but-unrecorded after a crash.</summary>
    public static int ResultsInFlight(SmtpOptions smtp) => 4 * smtp.MaxConnections;

    private static DeliveryResult Skipped(long subscriberId, string status) =>
        new(subscriberId, "skipped", 0, $"subscriber is {status}", false);

    /// <summary>Group commit: whatever results are waiting go to the database in one transaction.</summary>
    private async Task RecordAsync(long digestId, ChannelReader<DeliveryResult> results, SendProgress.Tracker tracker, SendBreaker breaker)
    {
        var pending = new List<DeliveryResult>(256);
        var lastLog = clock.GetTimestamp();
        try
        {
            while (await results.WaitToReadAsync())
            {
                while (pending.Count < 256 && results.TryRead(out var result)) pending.Add(result);
                await ledger.RecordAsync(digestId, pending, CancellationToken.None);
                tracker.Add(pending);
                breaker.Observe(pending);
                pending.Clear();
                if (clock.GetElapsedTime(lastLog) >= ProgressEvery)
                {
                    lastLog = clock.GetTimestamp();
                    logger.LogInformation("Digest {Id}: {Done} recorded, {Rate:0} messages/s", digestId, tracker.Done, tracker.Rate);
                }
            }
        }
        catch (Exception e)
        {
            // The ledger cannot be written (disk full, database locked too long): stop sending, and
            // keep taking results so that no sender waits on this one forever.
            logger.LogError(e, "Recording deliveries of digest {Id} failed", digestId);
            breaker.Trip($"the ledger could not be written: {e.Message}");
            await foreach (var _ in results.ReadAllAsync()) { }
        }
    }

    private async Task FinishAsync(long digestId, string? relayFailure, SendProgress.Tracker tracker)
    {
        if (relayFailure is not null)
        {
            // Nothing is burned: what failed meanwhile goes back to pending for the resume.
            await ledger.ReopenFailedAsync(digestId, CancellationToken.None);
            await digests.SetStatusAsync(digestId, DigestStatus.Failed, relayFailure, CancellationToken.None);
            logger.LogError("Digest {Id} stopped as failed: {Reason}. Fix the cause, then POST /api/admin/digests/{Id}/resume",
                digestId, relayFailure, digestId);
            return;
        }

        var counts = await digests.CountsAsync(digestId, CancellationToken.None);
        if (counts.Pending > 0)
        {
            logger.LogInformation("Digest {Id} paused with {Pending} deliveries pending; it resumes on the next start", digestId, counts.Pending);
            return;
        }
        var bounced = await ledger.ApplyBouncesAsync(digestId, CancellationToken.None);
        await digests.SetStatusAsync(digestId, DigestStatus.Sent, null, CancellationToken.None);
        logger.LogInformation("Digest {Id} sent: {Sent} sent, {Failed} failed, {Skipped} skipped, {Bounced} bounced, {Rate:0} messages/s",
            digestId, counts.Sent, counts.Failed, counts.Skipped, bounced, tracker.Rate);
    }
}
