namespace Newsletter.Core.Delivery;

/// <summary>
/// Stops a send that is failing as a whole (relay down, credentials refused, every recipient
/// deferred) instead of letting it burn through the list. It trips when the relay cannot be used
/// at all, or when most of the recent deliveries failed.
/// </summary>
public sealed class SendBreaker(CancellationTokenSource halt)
{
    public const int Window = 50;
    public const double FailureShare = 0.8;

    private readonly Queue<bool> _recent = new(Window);
    private int _failures;
    private string? _reason;

    public string? Reason => Volatile.Read(ref _reason);

    public void Trip(string reason)
    {
        if (Interlocked.CompareExchange(ref _reason, reason, null) is null) halt.Cancel();
    }

    /// <summary>Called by the single recorder with each group of results.</summary>
    public void Observe(IReadOnlyList<DeliveryResult> results)
    {
        foreach (var result in results)
        {
            if (result.Status == "skipped") continue;
            var failed = result.Status == "failed";
            _recent.Enqueue(failed);
            if (failed) _failures++;
            if (_recent.Count > Window && _recent.Dequeue()) _failures--;
            if (_recent.Count == Window && _failures >= Window * FailureShare)
            {
                Trip($"{_failures} of the last {Window} deliveries failed (last: {result.Error})");
                return;
            }
        }
    }
}
