using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Newsletter.Core.Digests;
using Newsletter.Core.Email;
using Newsletter.Core.Subscribers;
using Newsletter.Core.Telemetry;

namespace Newsletter.Core.Delivery;

/// <summary>
/// The state of one run of one digest's send: a reader pages through the pending ledger rows by
/// key, the pool sends, and a recorder commits results in groups. A recipient refused for good is
/// marked bounced in the same group, as it happens, so no later run or digest tries them again.
/// </summary>
public sealed class DigestRun(
    long digestId,
    DigestCopyMaker copies,
    SendProgress.Tracker tracker,
    SendRun run,
    int resultsInFlight,
    int unrecordedSends,
    Func<bool> leaseHeld,
    bool shared,
    DeliveryLedger ledger,
    SubscriberStore subscribers,
    UnsubscribeWatch unsubscribes,
    ReturnPaths returnPaths,
    NewsletterMetrics metrics,
    TimeProvider clock,
    ILogger logger) : IDeliveryJob<DueDelivery>
{
    private const int GroupSize = 256;
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    // Bounded, so results (skips included) wait to be committed only briefly; the bound on sent
    // but unrecorded messages is _unrecorded's.
    private readonly Channel<DeliveryResult> _results =
        Channel.CreateBounded<DeliveryResult>(new BoundedChannelOptions(resultsInFlight) { SingleReader = true });

    // Messages sent (or being sent) whose result is not committed yet: what a kill -9 can make a
    // reader get twice. A sender takes a slot before it sends; the recorder gives it back on commit.
    private readonly SemaphoreSlim _unrecorded = new(unrecordedSends);

    private long _passingFailures;

    /// <summary>
    /// Failures recorded for a passing reason: final only if the run ends well, since a run that
    /// stops as failed reopens them for its resume (<see cref="DigestSender"/> counts them then).
    /// </summary>
    public long PassingFailures => _passingFailures;

    public bool IsStillWanted(DueDelivery item) => !unsubscribes.HasLeft(item.SubscriberId);

    public OutgoingMail? Compose(DueDelivery item)
    {
        if (item.Email.AsSpan().IndexOfAny(NotInABareAddress) >= 0)
            throw new FormatException($"the stored address of subscriber {item.SubscriberId} is not a bare mailbox");
        return copies.Factory.Create(item) is { } message ? new OutgoingMail(message, returnPaths.For(item.SubscriberId, digestId)) : null;
    }

    // Addresses are validated on the way in; a row that holds one of these anyway (an old import, a
    // hand edit) would inject headers or recipients, so its message is refused, not sent.
    private static readonly System.Buffers.SearchValues<char> NotInABareAddress =
        System.Buffers.SearchValues.Create("\r\n\t\0 ,;<>\"");

    public async ValueTask BeforeSendAsync(CancellationToken ct)
    {
        await _unrecorded.WaitAsync(ct);
        // An instance that could not renew its lease (the database unreachable, the process paused)
        // may have had its rows taken over: it stops rather than send them too.
        if (!leaseHeld())
        {
            run.Breaker.Trip("this instance could not renew its lease; other instances may have taken over its rows");
            ct.ThrowIfCancellationRequested();
        }
    }

    public async ValueTask CompletedAsync(DueDelivery item, SendOutcome outcome)
    {
        await _results.Writer.WriteAsync(outcome.Result switch
        {
            SendResult.Sent => new DeliveryResult(item.SubscriberId, DeliveryStatus.Sent, outcome.Attempts, null, false, item.Papers),
            SendResult.Rejected => Refused(item, outcome),
            SendResult.Deferred when item.Deferrals < Deferrals.MostForADigest && run.FailureReason is null => Defer(item, outcome),
            _ => new DeliveryResult(item.SubscriberId, DeliveryStatus.Failed, outcome.Attempts, outcome.Reason, false),
        });
    }

    // The reader's server said "later" through every try of this round (greylisting): the reader
    // waits, pending, for a round minutes away, as the digest's other readers go on. Not once the
    // breaker saw the relay itself failing: the digest stops, and a resume tries them at once.
    private DeliveryResult Defer(DueDelivery item, SendOutcome outcome)
    {
        var due = clock.GetUtcNow() + Deferrals.Wait(item.Deferrals);
        logger.LogInformation("Digest {Id}: subscriber {Subscriber} deferred by their server ({Reason}); next try at {Due:u}",
            digestId, item.SubscriberId, outcome.Reason, due);
        return DeliveryResult.Deferred(item.SubscriberId, outcome.Attempts, outcome.Reason, due);
    }

    private DeliveryResult Refused(DueDelivery item, SendOutcome outcome)
    {
        logger.LogInformation("Digest {Id}: subscriber {Subscriber} refused for good by their server ({Reason}); marked bounced",
            digestId, item.SubscriberId, outcome.Reason);
        return new DeliveryResult(item.SubscriberId, DeliveryStatus.Failed, outcome.Attempts, outcome.Reason, true);
    }

    public ValueTask SkippedAsync(DueDelivery item, bool nothingFor) => _results.Writer.WriteAsync(nothingFor
        ? DeliveryResult.NothingMatched(item.SubscriberId)
        : DeliveryResult.Skipped(item.SubscriberId, SubscriberStatus.Unsubscribed));

    /// <summary>How often an instance with nothing left to claim looks again while others still hold rows.</summary>
    public static readonly TimeSpan ClaimPoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Claims the pending rows batch by batch, in key order, and feeds them to <paramref name="work"/>
    /// until none are left or the run halts. When nothing is left to claim but other instances still
    /// hold rows, it waits: their rows are sent, or their lease runs out and this one takes them over.
    /// </summary>
    public async Task ReadLedgerAsync(ChannelWriter<DueDelivery> work, int batch, string me, Func<CancellationToken, Task> beforeBatch)
    {
        var after = 0L;
        try
        {
            while (!run.Halt.IsCancellationRequested)
            {
                await beforeBatch(run.Halt);
                var due = await ledger.ClaimAsync(digestId, me, after, batch, run.Halt);
                if (due.Count == 0)
                {
                    // Alone (SQLite), rows are read by key, not claimed: nothing after this point is the
                    // end. Reading from the start again would meet rows still in flight, and send them twice.
                    if (!shared) return;
                    // Rows before this point may have come free (an instance died): look from the start once more.
                    if (after > 0)
                    {
                        after = 0;
                        continue;
                    }
                    if (!await ledger.HeldByOthersAsync(digestId, me, run.Halt)) return;
                    await Task.Delay(ClaimPoll, clock, run.Halt);
                    continue;
                }
                await copies.History.FillAsync(digestId, due, run.Halt);
                foreach (var item in due)
                {
                    // Left or bounced since the digest was made: never sent, and said so in the ledger.
                    if (item.Status != SubscriberStatus.Active)
                        await _results.Writer.WriteAsync(DeliveryResult.Skipped(item.SubscriberId, item.Status), run.Halt);
                    else
                        await work.WriteAsync(item, run.Halt);
                }
                // Alone (SQLite), rows are read by key, not claimed: a short batch is the end, and
                // reading from the start again would meet rows still in flight.
                if (!shared && due.Count < batch) return;
                after = due[^1].SubscriberId;
            }
        }
        catch (OperationCanceledException) when (run.Halt.IsCancellationRequested)
        {
        }
    }

    private void Count(List<DeliveryResult> recorded)
    {
        long sent = 0, refused = 0, passing = 0;
        foreach (var result in recorded)
        {
            if (result.Status == DeliveryStatus.Sent) sent++;
            else if (result.Status == DeliveryStatus.Failed && result.Permanent) refused++;
            else if (result.Status == DeliveryStatus.Failed) passing++;
        }
        if (sent > 0) metrics.Sent(MessageKind.Digest, sent);
        if (refused > 0) metrics.Failed(MessageKind.Digest, refused);
        _passingFailures += passing;
    }

    /// <summary>No more results will come: the recorder finishes what is queued and ends.</summary>
    public void CompleteResults() => _results.Writer.TryComplete();

    /// <summary>Group commit: whatever results are waiting go to the database in one transaction.</summary>
    public async Task RecordAsync()
    {
        var pending = new List<DeliveryResult>(GroupSize);
        var lastLog = clock.GetTimestamp();
        try
        {
            while (await _results.Reader.WaitToReadAsync())
            {
                while (pending.Count < GroupSize && _results.Reader.TryRead(out var result)) pending.Add(result);
                await ledger.RecordAsync(digestId, pending, CancellationToken.None);
                // Sent and failed results took a slot before sending; skipped ones never sent.
                if (pending.Count(r => r.Status != DeliveryStatus.Skipped) is var recorded and > 0) _unrecorded.Release(recorded);
                var refused = pending.Where(r => r.Permanent).Select(r => new Bounce(r.SubscriberId, r.Error ?? "refused")).ToList();
                if (refused.Count > 0) await subscribers.MarkBouncedAsync(refused, CancellationToken.None);
                tracker.Add(pending);
                Count(pending);
                pending.Clear();
                if (clock.GetElapsedTime(lastLog) >= ProgressEvery)
                {
                    // With the progress line, every few seconds: the senders' freed native memory goes back.
                    SendMemory.DuringSend();
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
            run.Breaker.Trip($"the ledger could not be written: {e.Message}");
            // No sender may wait for a slot that this recorder will never free.
            _unrecorded.Release(int.MaxValue / 2);
            await foreach (var _ in _results.Reader.ReadAllAsync()) { }
        }
    }
}
