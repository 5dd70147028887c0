using System.Threading.RateLimiting;

namespace Newsletter.Api.Http;

/// <summary>
/// Wrong keys, counted per client address: after a number in a minute the address is refused
/// whatever key it sends, so a key cannot be found by trying. Only failures count, so an operator's
/// own busy script or frequent sign-ins are never slowed down.
/// </summary>
public abstract class WrongKeyCounter(int perMinute) : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = Window,
            QueueLimit = 0,
        }));

    /// <summary>How long <paramref name="address"/> must wait, or null while it may still try.</summary>
    public TimeSpan? LockedOut(string address)
    {
        // Asking for no permit only looks at what is left; it takes nothing.
        using var lease = _failures.AttemptAcquire(address, 0);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
    }

    public void RecordFailure(string address) => _failures.AttemptAcquire(address).Dispose();

    public void Dispose()
    {
        _failures.Dispose();
        GC.SuppressFinalize(this);
    }
}
