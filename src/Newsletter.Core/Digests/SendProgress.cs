using System.Collections.Concurrent;

namespace Newsletter.Core.Digests;

/// <summary>Live figures of the sends running in this process, for the operator's status view.</summary>
public sealed class SendProgress(TimeProvider clock)
{
    private readonly ConcurrentDictionary<long, Tracker> _running = new();

    /// <summary>
    /// Counts of one running send: the ledger's counts when it started plus what has been recorded
    /// since, so the status view need not count the whole ledger in SQL while it is being written.
    /// </summary>
    public sealed class Tracker(TimeProvider clock, DeliveryCounts atStart)
    {
        private readonly long _start = clock.GetTimestamp();
        private long _done;
        private long _sent;
        private long _failed;
        private long _skipped;

        public long Done => Interlocked.Read(ref _done);

        public DeliveryCounts Counts
        {
            get
            {
                long sent = Interlocked.Read(ref _sent), failed = Interlocked.Read(ref _failed), skipped = Interlocked.Read(ref _skipped);
                return atStart with
                {
                    Sent = atStart.Sent + sent,
                    Failed = atStart.Failed + failed,
                    Skipped = atStart.Skipped + skipped,
                    Pending = Math.Max(0, atStart.Pending - sent - failed - skipped),
                };
            }
        }

        /// <summary>Called by the recorder after each committed group.</summary>
        public void Add(IReadOnlyList<DeliveryResult> recorded)
        {
            var done = 0;
            foreach (var result in recorded)
            {
                switch (result.Status)
                {
                    case DeliveryStatus.Sent: Interlocked.Increment(ref _sent); break;
                    case DeliveryStatus.Failed: Interlocked.Increment(ref _failed); break;
                    case DeliveryStatus.Skipped: Interlocked.Increment(ref _skipped); break;
                    // Deferred to a later round (greylisting): still pending, not done.
                    default: continue;
                }
                done++;
            }
            Interlocked.Add(ref _done, done);
        }

        /// <summary>Messages per second since this run started.</summary>
        public double Rate
        {
            get
            {
                var seconds = clock.GetElapsedTime(_start).TotalSeconds;
                return seconds < 0.5 ? 0 : Done / seconds;
            }
        }
    }

    public Tracker Start(long digestId, DeliveryCounts atStart) => _running[digestId] = new Tracker(clock, atStart);

    public void Stop(long digestId) => _running.TryRemove(digestId, out _);

    public Tracker? Of(long digestId) => _running.GetValueOrDefault(digestId);
}
