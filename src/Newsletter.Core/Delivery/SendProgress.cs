using System.Collections.Concurrent;

namespace Newsletter.Core.Delivery;

/// <summary>Live figures of the sends running in this process, for the operator's status view.</summary>
public sealed class SendProgress(TimeProvider clock)
{
    private readonly ConcurrentDictionary<long, Tracker> _running = new();

    public sealed class Tracker(TimeProvider clock)
    {
        private readonly long _start = clock.GetTimestamp();
        private long _done;

        public long Done => Interlocked.Read(ref _done);

        public void Add(int count) => Interlocked.Add(ref _done, count);

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

    public Tracker Start(long digestId) => _running[digestId] = new Tracker(clock);

    public void Stop(long digestId) => _running.TryRemove(digestId, out _);

    public Tracker? Of(long digestId) => _running.GetValueOrDefault(digestId);
}
