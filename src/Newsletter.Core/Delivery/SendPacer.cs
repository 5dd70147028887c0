namespace Newsletter.Core.Delivery;

/// <summary>
/// Keeps a send at or under a rate: the n-th message may start no earlier than start + n / rate.
/// Slots are counted from one start, so the rate holds over a minute without drift.
/// </summary>
public sealed class SendPacer(double messagesPerSecond, TimeProvider clock)
{
    private readonly long _start = clock.GetTimestamp();
    private long _issued = -1;

    public bool Enabled => messagesPerSecond > 0;

    public async ValueTask WaitAsync(CancellationToken ct)
    {
        if (!Enabled) return;
        var slot = Interlocked.Increment(ref _issued);
        var due = TimeSpan.FromSeconds(slot / messagesPerSecond);
        var wait = due - clock.GetElapsedTime(_start);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, ct);
    }
}
