namespace Newsletter.Core.Delivery;

/// <summary>
/// Wakes the service that sends waiting readers when they are due (Scheduling.DueReaders): a
/// digest with readers of their own hour was made, or a run left readers deferred by their servers.
/// </summary>
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
