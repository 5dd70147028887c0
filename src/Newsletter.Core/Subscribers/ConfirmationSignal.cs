namespace Newsletter.Core.Subscribers;

/// <summary>Wakes the confirmation mailer when a subscription is recorded; many notifies fold into one wake-up.</summary>
public sealed class ConfirmationSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try { _signal.Release(); }
        catch (SemaphoreFullException) { /* already signalled */ }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
