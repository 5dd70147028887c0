using Newsletter.Core.Digests;
using Newsletter.Core.Ranking;

namespace Newsletter.Core.Delivery;

/// <summary>
/// What one digest's send needs to know of each reader's past, read per batch of readers: the
/// papers of this pool that another digest holding them sent them already (a paper reaches a reader at
/// most once), and their votes (newest first, at most <see cref="MaxVotes"/>).
/// </summary>
public sealed class ReaderHistory
{
    /// <summary>The taste of a reader is learned from their latest votes: enough to know it, bounded in work and memory.</summary>
    public const int MaxVotes = 100;

    private readonly DeliveryLedger _ledger;
    private readonly Dictionary<long, int[]> _poolIndexByPosition;
    private readonly long[] _overlapping;

    private ReaderHistory(DeliveryLedger ledger, Dictionary<long, int[]> poolIndexByPosition)
    {
        _ledger = ledger;
        _poolIndexByPosition = poolIndexByPosition;
        _overlapping = poolIndexByPosition.Keys.ToArray();
    }

    /// <param name="pool">This digest's pool, in position order.</param>
    /// <param name="overlapping">The pools of the other digests that share a paper with this one.</param>
    public static ReaderHistory For(IReadOnlyList<string> pool, IReadOnlyList<PoolEntry> overlapping, DeliveryLedger ledger)
    {
        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < pool.Count; i++) indexOf.TryAdd(pool[i], i);
        var map = new Dictionary<long, int[]>();
        foreach (var digest in overlapping.GroupBy(e => e.DigestId))
        {
            var positions = new int[digest.Max(e => e.Position) + 1];
            Array.Fill(positions, -1);
            foreach (var entry in digest) positions[entry.Position] = indexOf.GetValueOrDefault(entry.PaperId, -1);
            map[digest.Key] = positions;
        }
        return new ReaderHistory(ledger, map);
    }

    /// <summary>
    /// Fills <see cref="DueDelivery.AlreadySent"/> and <see cref="DueDelivery.Votes"/> of a batch of
    /// <paramref name="digestId"/>'s ledger rows sorted by subscriber; without a digest, of one reader.
    /// </summary>
    public async Task FillAsync(long? digestId, IReadOnlyList<DueDelivery> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        if (digestId is null && batch.Count > 1) throw new ArgumentException("Without a digest, one reader at a time.", nameof(batch));
        long first = batch[0].SubscriberId, last = batch[^1].SubscriberId;
        var byId = batch.ToDictionary(r => r.SubscriberId);

        var sent = new Dictionary<long, List<int>>();
        foreach (var row in await _ledger.SentBeforeAsync(digestId, _overlapping, first, last, ct))
        {
            if (!byId.ContainsKey(row.SubscriberId)) continue;
            var positions = _poolIndexByPosition[row.DigestId];
            var list = sent.TryGetValue(row.SubscriberId, out var l) ? l : sent[row.SubscriberId] = [];
            if (row.Papers is null)
            {
                // Made before readers chose: the whole digest went to everyone it reached.
                list.AddRange(positions.Where(i => i >= 0));
                continue;
            }
            foreach (var part in row.Papers.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(part, out var position) && position > 0 && position < positions.Length && positions[position] >= 0)
                    list.Add(positions[position]);
            }
        }
        foreach (var (id, indexes) in sent) byId[id].AlreadySent = indexes;

        foreach (var reader in (await _ledger.VotesAsync(digestId, first, last, ct)).GroupBy(v => v.SubscriberId))
        {
            if (byId.TryGetValue(reader.Key, out var due))
                due.Votes = reader.Take(MaxVotes).Select(v => new Vote(v.PaperId, v.Vote)).ToArray();
        }
    }
}
