using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Core.Options;

namespace Newsletter.Core.Delivery;

/// <summary>What a run sends: the pool asks it, per item, right before sending.</summary>
public interface IDeliveryJob<in T>
{
    /// <summary>False when the recipient left since the item was queued: nothing is sent.</summary>
    bool IsStillWanted(T item);

    /// <summary>The item's message and return path; null when there is nothing to send this recipient (nothing in it is for them).</summary>
    OutgoingMail? Compose(T item);

    /// <summary>Right before a message goes out: a job may hold it back until fewer sent messages wait to be recorded.</summary>
    ValueTask BeforeSendAsync(CancellationToken ct) => ValueTask.CompletedTask;

    ValueTask CompletedAsync(T item, SendOutcome outcome);

    /// <summary>Nothing was sent: the recipient left, or (<paramref name="nothingFor"/>) nothing was for them.</summary>
    ValueTask SkippedAsync(T item, bool nothingFor = false);
}

/// <summary>
/// The senders of one run: <see cref="SmtpOptions.MaxConnections"/> workers, one SMTP connection
/// each, take work until it runs out or the run halts. Digests and confirmation mails both go
/// through it, with the same retry policy and breaker.
/// </summary>
public sealed class DeliveryPool(IMailTransport transport, MessageSigner signer, IOptions<SmtpOptions> options, TimeProvider clock, ILogger<DeliveryPool> logger)
{
    /// <summary>Sends every item of <paramref name="work"/> until it completes or the run halts.</summary>
    public Task RunAsync<T>(ChannelReader<T> work, IDeliveryJob<T> job, SendRun run)
    {
        var smtp = options.Value;
        return Task.WhenAll(Enumerable.Range(0, smtp.MaxConnections).Select(_ => Task.Run(() => WorkAsync(work, job, run, smtp))));
    }

    private async Task WorkAsync<T>(ChannelReader<T> work, IDeliveryJob<T> job, SendRun run, SmtpOptions smtp)
    {
        await using var worker = new DeliveryWorker(transport, smtp, clock, logger);
        try
        {
            await foreach (var item in work.ReadAllAsync(CancellationToken.None))
            {
                if (run.Halt.IsCancellationRequested) break;
                if (!job.IsStillWanted(item))
                {
                    await job.SkippedAsync(item);
                    continue;
                }
                var failed = Compose(job, item, out var message);
                if (failed is null && message is null)
                {
                    await job.SkippedAsync(item, nothingFor: true);
                    continue;
                }
                await job.BeforeSendAsync(run.Halt);
                await run.Pacer.WaitAsync(run.Halt);
                var outcome = failed ?? await worker.DeliverAsync(message!, run.Halt);
                if (outcome is null) break;
                run.Breaker.Observe(outcome);
                await job.CompletedAsync(item, outcome);
            }
        }
        catch (RelayUnavailableException e)
        {
            run.Breaker.Trip(e.Message);
        }
        catch (OperationCanceledException) when (run.Halt.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "A sender failed");
            run.Breaker.Trip($"the sender failed: {e.Message}");
        }
    }

    /// <returns>Null with the message (or with none: nothing to send), or the outcome of a message
    /// that could not be built: one reader's bad data must not stop everyone else's mail.</returns>
    private SendOutcome? Compose<T>(IDeliveryJob<T> job, T item, out OutgoingMail? message)
    {
        try
        {
            message = job.Compose(item);
            // Signed once here, not per retry, on the worker's thread.
            if (message is not null) signer.Sign(message.Message);
            return null;
        }
        catch (Exception e)
        {
            message = null;
            logger.LogWarning("A message could not be composed: {Reason}", e.Message);
            return new SendOutcome(SendResult.Uncomposable, 0, $"could not compose: {e.Message}");
        }
    }
}
