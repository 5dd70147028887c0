using System.Threading.RateLimiting;

namespace Newsletter.Api.AdminConsole;

/// <summary>
/// Wrong keys at the console's sign-in, counted per client address: after <see cref="PerMinute"/>
/// in a minute the address is refused whatever it sends. Only failures count, so an operator who
/// signs in often is never slowed down.
/// </summary>
public sealed class SignInGuesses : IDisposable
{
    public const int PerMinute = 5;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = PerMinute,
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

    public void Dispose() => _failures.Dispose();
}
