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
                foreach (var digestId in await ledger.DigestsWithDueReadersAsync(stoppingToken))
                {
                    logger.LogInformation("Readers of digest {Id} reached their own hour", digestId);
                    await sender.SendAsync(digestId, stoppingToken);
                }

                var next = await ledger.NextWaitingAsync(stoppingToken);
                var sleep = next is { } at ? at - clock.GetUtcNow() : LongestSleep;
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

/// <summary>Wakes <see cref="DueReaders"/> when a digest with waiting readers was made.</summary>
public sealed class DueReadersSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Notify()
    {
        try { _wake.Release(); } catch (SemaphoreFullException) { }
    }

    public async Task WaitAsync(TimeSpan atMost, TimeProvider clock, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(atMost, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, ct);
        try
        {
            await _wake.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }
}
