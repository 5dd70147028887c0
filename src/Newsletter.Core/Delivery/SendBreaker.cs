namespace Newsletter.Core.Delivery;

/// <summary>
/// Stops a send that is failing as a whole (relay down, credentials refused, most deliveries
/// deferred) instead of letting it burn through the list. It trips when the relay cannot be used
/// at all, or when most of the recent deliveries were deferred. A recipient's permanent refusal
/// or a message that could not be composed says nothing about the relay and is not counted: a run
/// of dead addresses must not stop the mail of everyone after them.
/// </summary>
public sealed class SendBreaker(CancellationTokenSource halt)
{
    public const int Window = 50;
    public const double FailureShare = 0.8;

    private readonly Lock _gate = new();
    private readonly Queue<bool> _recent = new(Window + 1);
    private int _failures;
    private string? _reason;

    public string? Reason => Volatile.Read(ref _reason);

    public bool Tripped => Reason is not null;

    public void Trip(string reason)
    {
        if (Interlocked.CompareExchange(ref _reason, reason, null) is null) halt.Cancel();
    }

    /// <summary>Counts one finished delivery; senders call it from many threads.</summary>
    public void Observe(SendOutcome outcome)
    {
        if (outcome.Result is SendResult.Rejected or SendResult.Uncomposable) return;
        string? trip = null;
        lock (_gate)
        {
            var failed = outcome.CountsAgainstRelay;
            _recent.Enqueue(failed);
            if (failed) _failures++;
            if (_recent.Count > Window && _recent.Dequeue()) _failures--;
            if (_recent.Count == Window && _failures >= Window * FailureShare)
                trip = $"{_failures} of the last {Window} deliveries failed (last: {outcome.Reason})";
        }
        if (trip is not null) Trip(trip);
    }
}
