namespace Newsletter.Core.Delivery;

/// <summary>
/// Keeps a send at or under a rate: the n-th message may start no earlier than start + n / rate.
/// Slots are counted from one start, so the rate holds over a minute without drift. Instances that
/// share a send share the rate (Smtp:MessagesPerSecond caps the cluster): each paces at its part,
/// and a change of the number sending starts a new count from that moment.
/// </summary>
public sealed class SendPacer(double messagesPerSecond, TimeProvider clock)
{
    private sealed record Span(long Start, double Rate, int Sharers);

    private Span _span = new(clock.GetTimestamp(), messagesPerSecond, 1);
    private long _issued = -1;
    private readonly object _gate = new();

    public bool Enabled => messagesPerSecond > 0;

    /// <summary>How many instances send this digest now, this one included (at least 1).</summary>
    public void ShareWith(int sharers)
    {
        sharers = Math.Max(1, sharers);
        lock (_gate)
        {
            if (_span.Sharers == sharers) return;
            _span = new Span(clock.GetTimestamp(), messagesPerSecond / sharers, sharers);
            Interlocked.Exchange(ref _issued, -1);
        }
    }

    public async ValueTask WaitAsync(CancellationToken ct)
    {
        if (!Enabled) return;
        Span span;
        long slot;
        lock (_gate)
        {
            span = _span;
            slot = Interlocked.Increment(ref _issued);
        }
        var due = TimeSpan.FromSeconds(slot / span.Rate);
        var wait = due - clock.GetElapsedTime(span.Start);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, ct);
    }
}
