using System.Diagnostics.Metrics;
using Newsletter.Core.Data;
using Newsletter.Core.Telemetry;

namespace Newsletter.Core.Subscribers;

/// <summary>
/// <c>newsletter.subscribers{status}</c>: read from the database when scraped, at most once per
/// <see cref="Fresh"/> (scrapers that poll every second cost one small indexed query per interval),
/// never on the sending path.
/// </summary>
public sealed class SubscriberGauge
{
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);

    private static readonly SubscriberStatus[] Statuses = Enum.GetValues<SubscriberStatus>();

    private readonly SubscriberStore _store;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private Measurement<long>[] _last = [];
    private long _readAt;

    public SubscriberGauge(NewsletterMetrics metrics, SubscriberStore store, TimeProvider clock)
    {
        _store = store;
        _clock = clock;
        metrics.Meter.CreateObservableGauge("newsletter.subscribers", Observe, description: "Subscribers in each state.");
    }

    private Measurement<long>[] Observe()
    {
        lock (_gate)
        {
            if (_last.Length > 0 && _clock.GetElapsedTime(_readAt) < Fresh) return _last;
            IReadOnlyDictionary<SubscriberStatus, long> counts;
            try
            {
                counts = _store.CountByStatus();
            }
            catch (System.Data.Common.DbException)
            {
                // A busy or missing database fails this scrape's gauge, not the scrape.
                return _last;
            }
            _last = [.. Statuses.Select(s => new Measurement<long>(counts.GetValueOrDefault(s),
                new KeyValuePair<string, object?>("status", s.ToStored())))];
            _readAt = _clock.GetTimestamp();
            return _last;
        }
    }
}
