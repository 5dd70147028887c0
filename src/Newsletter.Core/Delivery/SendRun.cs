namespace Newsletter.Core.Delivery;

/// <summary>
/// What one run of a send shares between its senders: when to stop (the host stopping, or the
/// breaker tripping), the breaker itself and the rate cap.
/// </summary>
public sealed class SendRun : IDisposable
{
    private readonly CancellationTokenSource _halt;

    public SendRun(double messagesPerSecond, TimeProvider clock, CancellationToken stopping)
    {
        _halt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Breaker = new SendBreaker(_halt);
        Pacer = new SendPacer(messagesPerSecond, clock);
    }

    public SendBreaker Breaker { get; }

    public SendPacer Pacer { get; }

    /// <summary>Cancelled when the run must stop.</summary>
    public CancellationToken Halt => _halt.Token;

    /// <summary>Why the run was stopped as failed; null when it was not.</summary>
    public string? FailureReason => Breaker.Reason;

    public void Dispose() => _halt.Dispose();
}
