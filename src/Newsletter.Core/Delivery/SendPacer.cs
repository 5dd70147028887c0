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
            // The new count's first slot is one interval on: a message has just gone under the old one.
            _span = new Span(clock.GetTimestamp(), messagesPerSecond / sharers, sharers);
            Interlocked.Exchange(ref _issued, 0);
        }
    }

    /// <summary>
    /// How far behind its schedule a send may catch up at full speed: after a longer stall (a slow
    /// relay, a pause between claims) the schedule starts again from now, so the relay never sees
    /// more than a quarter second's worth of messages beyond the rate.
    /// </summary>
    public static readonly TimeSpan MaxCatchUp = TimeSpan.FromMilliseconds(250);

    public async ValueTask WaitAsync(CancellationToken ct)
    {
        if (!Enabled) return;
        TimeSpan wait;
        lock (_gate)
        {
            var slot = Interlocked.Increment(ref _issued);
            wait = TimeSpan.FromSeconds(slot / _span.Rate) - clock.GetElapsedTime(_span.Start);
            if (wait < -MaxCatchUp)
            {
                _span = _span with { Start = clock.GetTimestamp() - (long)(MaxCatchUp.TotalSeconds * clock.TimestampFrequency) };
                Interlocked.Exchange(ref _issued, 0);
                wait = -MaxCatchUp;
            }
        }
        if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, ct);
    }
}
