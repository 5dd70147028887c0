using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Core.Data;
using Newsletter.Core.Options;
using Newsletter.Core.Telemetry;

namespace Newsletter.Core.Digests;

public enum MakeOutcome { Created, Existing, NoPapers }

public sealed record DigestView(
    long Id, DateOnly Date, DigestEdition Edition, DigestStatus Status, DeliveryCounts Counts, IReadOnlyList<DigestPaperRow> Papers,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? FailureReason,
    double? MessagesPerSecond, DateTimeOffset? EstimatedFinish, IReadOnlyList<InstancePart> Instances);

/// <summary>One instance's part in a send: what it sent, what it holds now, whether its lease is live.</summary>
public sealed record InstancePart(string Id, string Host, long Sent, long Holding, bool Alive);

/// <summary>Makes digests (choose, render, record with the ledger) and reports on them.</summary>
public sealed class DigestService(
    DigestStore store,
    DeliveryLedger ledger,
    DigestRenderer renderer,
    SendHours sendHours,
    IDigestDispatcher dispatcher,
    SendProgress progress,
    SendInstances instances,
    Db db,
    TimeProvider clock,
    DigestCalendar calendar,
    IOptions<DigestOptions> options,
    ILogger<DigestService> logger)
{
    // How many papers a digest's readers choose from: a day's list is rarely longer than 100; a
    // week's best 300 leave room for readers of narrow topics without rendering every paper.
    public const int DailyPool = 100;
    public const int WeeklyPool = 300;

    // Rising candidates rendered with a daily digest, for its readers to choose from: up to this many
    // papers that climbed into their day's top, and up to RisingTops of those that were in it (most
    // readers had those; each reader skips what they had), read apart so neither crowds the other
    // out. With the day's 100 they stay within a pool's 512 bits. Per reader they cost a few bits.
    public const int RisingClimbers = 50;
    public const int RisingTops = 200;

    /// <summary>
    /// The digest for <paramref name="date"/> and the audience's edition: made now, or the one made
    /// before (one per date and edition, ever). A new digest is handed to the sender at once.
    /// </summary>
    public async Task<(MakeOutcome Outcome, Digest? Digest)> MakeAsync(DateOnly date, DigestAudience audience, CancellationToken ct)
    {
        var edition = audience.Edition;
        using var activity = NewsletterActivities.Source.StartActivity(NewsletterActivities.AssembleDigest);
        activity?.SetTag("newsletter.date", date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        activity?.SetTag("newsletter.edition", edition.ToStored());
        var existing = await store.FindByDateAsync(date, edition, ct);
        if (existing is not null) return (MakeOutcome.Existing, existing);

        var pool = await store.PoolAsync(edition, date, edition == DigestEdition.Weekly ? WeeklyPool : DailyPool, ct);
        if (pool.Count == 0) return (MakeOutcome.NoPapers, null);

        // Weekly readers get the week ranked at its end: nothing has risen since for them.
        var settings = options.Value;
        IReadOnlyList<RisingPaper> rising = edition == DigestEdition.Daily && settings.MaxRising > 0
            ? await store.RisingAsync(date, settings.RisingDays, settings.MaxPapers, RisingClimbers, RisingTops, ct)
            : [];
        var draft = await renderer.RenderAsync(date, edition, pool, settings.MaxPapers, rising);
        var id = await store.CreateAsync(draft, audience, sendHours.DueAt, ct);
        var digest = await store.FindByDateAsync(date, edition, ct);
        if (id is null)
        {
            // Another request made this digest first.
            return digest is null ? (MakeOutcome.NoPapers, null) : (MakeOutcome.Existing, digest);
        }
        activity?.SetTag("newsletter.digest_id", id);
        logger.LogInformation("Made the {Edition} digest {Id} for {Date:yyyy-MM-dd} from {Count} papers and {Rising} rising",
            edition.ToStored(), id, date, pool.Count, rising.Count);
        await dispatcher.DispatchAsync(id.Value, ct);
        return (MakeOutcome.Created, digest);
    }

    /// <summary>
    /// Continues a digest that stopped as failed, after the operator fixed the cause. A digest that
    /// is queued or sending is left to the run it has; a sent one stays sent.
    /// </summary>
    public async Task<Digest?> ResumeAsync(long id, CancellationToken ct)
    {
        var digest = await store.FindAsync(id, ct);
        if (digest is null) return null;
        if (await store.TransitionAsync(id, [DigestStatus.Failed], DigestStatus.Queued, null, ct))
        {
            // What failed for a passing reason gets another chance; permanent refusals do not.
            await ledger.ReopenTransientFailuresAsync(id, ct);
            await dispatcher.DispatchAsync(id, ct);
        }
        return await store.FindAsync(id, ct);
    }

    public async Task<DigestView?> ViewAsync(long id, CancellationToken ct)
    {
        var digest = await store.FindStateAsync(id, ct);
        if (digest is null) return null;
        // Instances sharing the database share the send: only the ledger knows the whole progress.
        var live = db.IsPostgres ? null : progress.Of(id);
        var counts = live?.Counts ?? await ledger.CountsAsync(id, ct);
        var papers = await store.PapersAsync(id, options.Value.MaxPapers, ct);
        double? rate = live is { Rate: > 0 } ? live.Rate : db.IsPostgres ? ClusterRate(digest, counts) : null;
        DateTimeOffset? eta = rate is { } r && digest.Status == DigestStatus.Sending
            ? clock.GetUtcNow().AddSeconds(counts.Pending / r)
            : null;
        return new DigestView(digest.Id, digest.Date, digest.Edition, digest.Status, counts, papers, digest.CreatedAt, digest.StartedAt,
            digest.FinishedAt, digest.FailureReason, rate, eta, await PartsAsync(id, ct));
    }

    /// <summary>Messages a second over the whole send so far, all instances together.</summary>
    private double? ClusterRate(DigestState digest, DeliveryCounts counts)
    {
        if (digest.Status != DigestStatus.Sending || digest.StartedAt is not { } started) return null;
        var seconds = (clock.GetUtcNow() - started).TotalSeconds;
        var done = counts.Sent + counts.Failed + counts.Skipped;
        return seconds > 0 && done > 0 ? done / seconds : null;
    }

    /// <summary>
    /// Which instances sent what: on PostgreSQL, where several may share a send. A single SQLite
    /// instance has nothing to tell apart, and counting the ledger by instance at every poll of the
    /// status cost a 100,000 send a fifth of its speed (bench/README.md, issue 12).
    /// </summary>
    private async Task<IReadOnlyList<InstancePart>> PartsAsync(long id, CancellationToken ct)
    {
        if (!instances.Shared) return [];
        var shares = await ledger.SharesAsync(id, ct);
        if (shares.Count == 0) return [];
        var live = (await instances.LiveAsync(ct)).ToDictionary(i => i.Id);
        return shares.Select(s => new InstancePart(s.Instance, live.TryGetValue(s.Instance, out var row) ? row.Host : HostOf(s.Instance),
            s.Sent, s.Holding, live.ContainsKey(s.Instance))).ToList();
    }

    // An instance's id begins with its host name (SendInstance); a gone instance has no row to look it up in.
    private static string HostOf(string instanceId) =>
        instanceId.LastIndexOf('-', instanceId.LastIndexOf('-') - 1) is > 0 and var cut ? instanceId[..cut] : instanceId;

    /// <summary>
    /// The status of at most <paramref name="limit"/> digests made before digest <paramref name="before"/>,
    /// newest first, and whether more follow; each view is the one <see cref="ViewAsync"/> gives, so
    /// the list and a single status agree.
    /// </summary>
    public async Task<(IReadOnlyList<DigestView> Views, bool More)> ListAsync(long before, int limit, CancellationToken ct)
    {
        // One id more than asked tells whether a next page exists without counting the table.
        var ids = await store.IdsBeforeAsync(before, limit + 1, ct);
        var views = new List<DigestView>();
        foreach (var id in ids.Take(limit))
            if (await ViewAsync(id, ct) is { } view) views.Add(view);
        return (views, ids.Count > limit);
    }

    public Task<Digest?> FindAsync(long id, CancellationToken ct) => store.FindAsync(id, ct);

    public Task<Digest?> FindByDateAsync(DateOnly date, DigestEdition edition, CancellationToken ct) => store.FindByDateAsync(date, edition, ct);

    /// <summary>The digest day now: see <see cref="DigestCalendar"/>.</summary>
    public DateOnly Today() => calendar.Today();
}

/// <summary>Hands a recorded digest to the sending pipeline.</summary>
public interface IDigestDispatcher
{
    Task DispatchAsync(long digestId, CancellationToken ct);
}
