using System.Diagnostics.Metrics;
using Newsletter.Core.Data;

namespace Newsletter.Core.Telemetry;

/// <summary>Which mail a count is about: the <c>kind</c> label.</summary>
public enum MessageKind { Digest, Confirmation }

/// <summary>
/// The service's own counters, exported by the host (Prometheus at /metrics, OTLP when set). Each is
/// an observable counter over a plain field: the sending path pays one <see cref="Interlocked"/> add
/// per committed group, no listener call and no allocation per message, and every label combination
/// is reported from the first scrape on, at 0 until something happens.
/// </summary>
public sealed class NewsletterMetrics
{
    public const string MeterName = "Newsletter";

    private static readonly string[] Kinds = [.. Enum.GetValues<MessageKind>().Select(k => k.ToStored())];

    private readonly long[] _sent = new long[Kinds.Length];
    private readonly long[] _failed = new long[Kinds.Length];
    private long _subscriptions;
    private long _unsubscribes;
    private long _fetchesOk;
    private long _fetchesFailed;

    public NewsletterMetrics(IMeterFactory meters)
    {
        // From the host's factory, so the meter ends with the host that made it.
        Meter = meters.Create(MeterName);
        // No unit: the Prometheus exporter would append it to the name; "_total" it appends itself.
        Meter.CreateObservableCounter("newsletter.messages.sent", () => PerKind(_sent),
            description: "Messages the relay accepted (digest: recorded in the ledger).");
        Meter.CreateObservableCounter("newsletter.messages.failed", () => PerKind(_failed),
            description: "Messages that failed for good: refused, unbuildable, or deferred on every try of a run that finished.");
        Meter.CreateObservableCounter("newsletter.subscriptions", () => Volatile.Read(ref _subscriptions),
            description: "Subscriptions confirmed by their reader (double opt-in); imports are not counted.");
        Meter.CreateObservableCounter("newsletter.unsubscribes", () => Volatile.Read(ref _unsubscribes),
            description: "Readers who unsubscribed (a repeated unsubscribe counts once).");
        Meter.CreateObservableCounter("newsletter.paper_fetches", () => new[]
            {
                new Measurement<long>(Volatile.Read(ref _fetchesOk), new KeyValuePair<string, object?>("outcome", "ok")),
                new Measurement<long>(Volatile.Read(ref _fetchesFailed), new KeyValuePair<string, object?>("outcome", "failed")),
            },
            description: "Attempts to fetch a day's list from the Daily Papers API, by outcome.");
    }

    /// <summary>The meter the service's other instruments (the subscriber gauge) are made on.</summary>
    public Meter Meter { get; }

    public void Sent(MessageKind kind, long count = 1) => Interlocked.Add(ref _sent[(int)kind], count);

    public void Failed(MessageKind kind, long count = 1) => Interlocked.Add(ref _failed[(int)kind], count);

    public void Subscribed() => Interlocked.Increment(ref _subscriptions);

    public void Unsubscribed() => Interlocked.Increment(ref _unsubscribes);

    public void Fetched(bool ok) => Interlocked.Increment(ref ok ? ref _fetchesOk : ref _fetchesFailed);

    private static Measurement<long>[] PerKind(long[] counts)
    {
        var measurements = new Measurement<long>[Kinds.Length];
        for (var i = 0; i < Kinds.Length; i++)
            measurements[i] = new Measurement<long>(Volatile.Read(ref counts[i]), new KeyValuePair<string, object?>("kind", Kinds[i]));
        return measurements;
    }
}
