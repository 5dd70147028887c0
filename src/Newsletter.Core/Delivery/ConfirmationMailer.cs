using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Core.Email;
using Newsletter.Core.Options;
using Newsletter.Core.Security;
using Newsletter.Core.Subscribers;
using Newsletter.Core.Telemetry;

namespace Newsletter.Core.Delivery;

/// <summary>
/// Sends the double opt-in mails in the background, so the HTTP answer neither waits for the
/// relay nor reveals by its timing whether an address was known. The backlog drains as fast as
/// the relay takes it, through the same pool and retry policy as digests. One address that is
/// deferred (greylisting) waits for its own retry while the others go on; a request for an address
/// that had a mail in the last 15 minutes waits for that to pass, and at most three go to one
/// address a day, so nobody can mail-bomb an address through the sign-up form.
/// </summary>
public sealed class ConfirmationMailer(
    SubscriberStore store,
    Data.Db db,
    ConfirmationSignal signal,
    DeliveryPool pool,
    SubscriberTokens tokens,
    MailComposer composer,
    PublicUrls urls,
    ReturnPaths returnPaths,
    TimeProvider clock,
    IOptions<NewsletterOptions> options,
    IOptions<SmtpOptions> smtpOptions,
    NewsletterMetrics metrics,
    ILogger<ConfirmationMailer> logger) : BackgroundService
{
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMinutes(15);
    public const int PerAddressPerDay = 3;

    /// <summary>Rounds of tries for one deferred address (each round is the retry policy's attempts).</summary>
    public const int MaxRounds = 5;

    private const int Batch = 1000;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DrainAsync(stoppingToken);
                await signal.WaitAsync(Poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Sending confirmation mails failed; trying again in {Delay}", Poll);
                try { await Task.Delay(Poll, clock, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    // Any fixed number, the same in every instance.
    private const long DrainLockKey = 0x6E6577636F6E66;

    /// <summary>
    /// Sends batch after batch until nothing is due, or the relay cannot be used. One instance of a
    /// cluster at a time: the others would send the same due requests. One without the turn leaves
    /// it to the one draining, which reads the queue again until it is empty.
    /// </summary>
    private async Task DrainAsync(CancellationToken ct)
    {
        await using var turn = await Data.ClusterLock.TryTakeAsync(db, DrainLockKey, ct);
        if (turn is null) return;
        while (true)
        {
            var due = await store.DueConfirmationsAsync(Batch, QuietPeriod, ct);
            if (due.Count == 0) return;
            var failure = await SendBatchAsync(due, ct);
            if (failure is not null)
            {
                logger.LogWarning("Confirmation mails paused, the relay cannot be used: {Reason}", failure);
                return;
            }
            if (due.Count < Batch) return;
        }
    }

    /// <returns>Why the relay could not be used, or null.</returns>
    private async Task<string?> SendBatchAsync(IReadOnlyList<DueConfirmation> due, CancellationToken ct)
    {
        var messages = new Dictionary<long, OutgoingMail>(due.Count);
        var work = Channel.CreateUnbounded<DueConfirmation>();
        foreach (var request in due)
        {
            if (request.SentToday >= PerAddressPerDay)
            {
                logger.LogInformation("Confirmation for subscriber {Id} not sent: {Limit} went to the address in the last day", request.Id, PerAddressPerDay);
                await store.ConfirmationAnsweredWithoutMailAsync(request, ct);
                continue;
            }
            try
            {
                messages[request.Id] = new OutgoingMail(await ComposeAsync(request), returnPaths.For(request.Id, 0));
                work.Writer.TryWrite(request);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One address's mail that cannot be built waits for its retry; the rest go out.
                await DeferAsync(request, $"could not compose: {e.Message}");
            }
        }
        work.Writer.TryComplete();

        using var run = new SendRun(smtpOptions.Value.MessagesPerSecond, clock, ct);
        var job = new Job(messages, clock);
        await pool.RunAsync(work.Reader, job, run);

        if (!job.Sent.IsEmpty) await store.ConfirmationsSentAsync(job.Sent.ToList(), CancellationToken.None);
        if (!job.Refused.IsEmpty) await store.MarkBouncedAsync(job.Refused.ToList(), CancellationToken.None);
        metrics.Sent(MessageKind.Confirmation, job.Sent.Count);
        metrics.Failed(MessageKind.Confirmation, job.Refused.Count);
        foreach (var (request, reason) in job.Deferred) await DeferAsync(request, reason);
        logger.LogInformation("Sent {Count} confirmation mail(s)", job.Sent.Count);
        return run.FailureReason;
    }

    private async Task DeferAsync(DueConfirmation request, string? reason)
    {
        if (request.Attempts + 1 >= MaxRounds)
        {
            logger.LogWarning("Giving up the confirmation for subscriber {Id} after {Rounds} rounds: {Reason}", request.Id, MaxRounds, reason);
            metrics.Failed(MessageKind.Confirmation);
            await store.ConfirmationAnsweredWithoutMailAsync(request, CancellationToken.None);
            return;
        }
        var wait = Deferrals.Wait(request.Attempts);
        await store.DeferConfirmationAsync(request, clock.GetUtcNow() + wait, CancellationToken.None);
        logger.LogInformation("Confirmation for subscriber {Id} deferred ({Reason}); next try in {Wait}", request.Id, reason, wait);
    }

    private async Task<MimeMessage> ComposeAsync(DueConfirmation request)
    {
        var lifetime = options.Value.ConfirmationLinkLifetime;
        var token = tokens.CreateConfirm(request.Id, request.ConsentVersion, clock.GetUtcNow() + lifetime);
        var model = new ConfirmationModel(composer.Sender, request.Email,
            urls.Confirm(token), (int)Math.Round(lifetime.TotalDays));
        return await composer.ComposeAsync(request.Email, $"Confirm your subscription to {composer.Sender.Name}",
            "email/Confirm.cshtml", "email/Confirm.txt.cshtml", model);
    }

    /// <summary>One batch: messages composed ahead (templates render asynchronously), outcomes collected.</summary>
    private sealed class Job(Dictionary<long, OutgoingMail> messages, TimeProvider clock) : IDeliveryJob<DueConfirmation>
    {
        /// <summary>With the time each went out: the quiet period counts from then.</summary>
        public ConcurrentQueue<(DueConfirmation Request, DateTimeOffset At)> Sent { get; } = new();

        public ConcurrentQueue<Bounce> Refused { get; } = new();

        public ConcurrentQueue<(DueConfirmation, string?)> Deferred { get; } = new();

        public bool IsStillWanted(DueConfirmation item) => true;

        public OutgoingMail? Compose(DueConfirmation item) => messages[item.Id];

        public ValueTask SkippedAsync(DueConfirmation item, bool nothingFor) => ValueTask.CompletedTask;

        public ValueTask CompletedAsync(DueConfirmation item, SendOutcome outcome)
        {
            switch (outcome.Result)
            {
                case SendResult.Sent: Sent.Enqueue((item, clock.GetUtcNow())); break;
                case SendResult.Rejected: Refused.Enqueue(new Bounce(item.Id, outcome.Reason ?? "refused")); break;
                default: Deferred.Enqueue((item, outcome.Reason)); break;
            }
            return ValueTask.CompletedTask;
        }
    }
}
