using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Newsletter.Core.Delivery;
using Newsletter.Core.Digests;

namespace Newsletter.Core.Scheduling;

/// <summary>
/// Readers who chose their own hour wait in the ledger with a due time. This service sleeps until
/// the next one is due (on the service's clock, so a test can move it), then runs their digests'
/// sends, which send the rows whose time has come. A new digest wakes it to look again.
/// </summary>
public sealed class DueReaders(
    DeliveryLedger ledger, DigestSender sender, DueReadersSignal signal, TimeProvider clock, ILogger<DueReaders> logger) : BackgroundService
{
    // Looked at again at least this often, so a due time written by another path is never missed for long.
    private static readonly TimeSpan LongestSleep = TimeSpan.FromMinutes(5);

    // A due row another run is sending right now stays due until that run records it: look again after a pause, not at once.
    private static readonly TimeSpan ShortestSleep = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var waitingForARun = false;
                foreach (var digestId in await ledger.DigestsWithDueReadersAsync(stoppingToken))
                {
                    // A run of this digest is going on here: it signals when it ends, and is looked at then.
                    if (sender.IsRunning(digestId))
                    {
                        waitingForARun = true;
                        continue;
                    }
                    logger.LogInformation("Readers of digest {Id} are due: their own hour has come, or their server's next round", digestId);
                    await sender.SendAsync(digestId, stoppingToken);
                }

                var next = await ledger.NextWaitingAsync(stoppingToken);
                var sleep = waitingForARun ? LongestSleep : next is { } at ? at - clock.GetUtcNow() : LongestSleep;
                sleep = TimeSpan.FromTicks(Math.Clamp(sleep.Ticks, ShortestSleep.Ticks, LongestSleep.Ticks));
                await signal.WaitAsync(sleep, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Looking for readers whose hour has come failed; trying again shortly");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
