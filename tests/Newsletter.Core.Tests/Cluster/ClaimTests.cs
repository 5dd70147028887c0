using Dapper;
using Microsoft.Extensions.Time.Testing;
using Newsletter.Core.Data;
using Newsletter.Core.Digests;
using Newsletter.Core.Options;

namespace Newsletter.Core.Tests.Cluster;

/// <summary>
/// Instances sharing a send claim ledger rows: no row is ever held by two live instances, and the
/// rows of one that stops renewing its lease are taken over when the lease runs out, not before.
/// Claims exist where instances share a database (PostgreSQL); a single SQLite instance reads its
/// rows by key instead (see <see cref="SqliteReadsWithoutClaiming"/>).
/// </summary>
public sealed class ClaimTests : OwnFolder
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task InstancesClaimingAtOnceNeverHoldTheSameRow(DatabaseProvider provider)
    {
        await using var db = await LedgerDatabases.CreateAsync(provider, Folder, readers: 3000);
        var ledger = new DeliveryLedger(db, _clock);
        var instances = Enumerable.Range(1, 3).Select(i => new Instance(db, _clock)).ToList();
        foreach (var instance in instances) await instance.Heartbeats.BeatAsync(default);

        // Each instance claims batches until nothing is left, all three at the same time.
        var claimed = await Task.WhenAll(instances.Select(instance => Task.Run(async () =>
        {
            var mine = new List<long>();
            long after = 0;
            while (true)
            {
                var batch = await ledger.ClaimAsync(1, instance.Me.Id, after, 100, default);
                if (batch.Count == 0 && after == 0) return mine;
                after = batch.Count == 0 ? 0 : batch[^1].SubscriberId;
                mine.AddRange(batch.Select(b => b.SubscriberId));
            }
        })));

        var all = claimed.SelectMany(c => c).ToList();
        Assert.Equal(3000, all.Count);
        Assert.Equal(3000, all.Distinct().Count());
        await using var connection = await db.OpenAsync();
        foreach (var (instance, rows) in instances.Zip(claimed))
            Assert.Equal(rows.Count, await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM deliveries WHERE claimed_by = @id", new { id = instance.Me.Id }));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task TheRowsOfAnInstanceWhoseLeaseRanOutAreTakenOverThenAndNotBefore(DatabaseProvider provider)
    {
        await using var db = await LedgerDatabases.CreateAsync(provider, Folder, readers: 50);
        var ledger = new DeliveryLedger(db, _clock);
        var dead = new Instance(db, _clock);
        var alive = new Instance(db, _clock);
        await dead.Heartbeats.BeatAsync(default);
        await alive.Heartbeats.BeatAsync(default);
        var held = await ledger.ClaimAsync(1, dead.Me.Id, 0, 30, default);
        Assert.Equal(30, held.Count);

        // The other instance gets the rest, and waits for the 30 while the lease lasts.
        Assert.Equal(20, (await ledger.ClaimAsync(1, alive.Me.Id, 0, 100, default)).Count);
        Assert.Empty(await ledger.ClaimAsync(1, alive.Me.Id, 0, 100, default));
        Assert.True(await ledger.HeldByOthersAsync(1, alive.Me.Id, default));

        // The first one stops renewing (killed); the survivor keeps beating.
        _clock.Advance(SendInstances.Lease - TimeSpan.FromSeconds(1));
        await alive.Heartbeats.BeatAsync(default);
        Assert.Empty(await ledger.ClaimAsync(1, alive.Me.Id, 0, 100, default));

        _clock.Advance(TimeSpan.FromSeconds(2));
        var takenOver = await ledger.ClaimAsync(1, alive.Me.Id, 0, 100, default);
        Assert.Equal(held.Select(h => h.SubscriberId).Order(), takenOver.Select(t => t.SubscriberId).Order());
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ReleasedRowsAreAnyonesAgainAtOnceAndSentRowsAreNeverClaimed(DatabaseProvider provider)
    {
        await using var db = await LedgerDatabases.CreateAsync(provider, Folder, readers: 10);
        var ledger = new DeliveryLedger(db, _clock);
        var first = new Instance(db, _clock);
        var second = new Instance(db, _clock);
        await first.Heartbeats.BeatAsync(default);
        await second.Heartbeats.BeatAsync(default);
        var batch = await ledger.ClaimAsync(1, first.Me.Id, 0, 10, default);
        await ledger.RecordAsync(1, batch.Take(4).Select(b => new DeliveryResult(b.SubscriberId, DeliveryStatus.Sent, 1, null, false)).ToList(), default);

        // A graceful stop: what it did not send goes back at once, without waiting for the lease.
        await ledger.ReleaseAsync(1, first.Me.Id, default);
        var rest = await ledger.ClaimAsync(1, second.Me.Id, 0, 10, default);
        Assert.Equal(batch.Skip(4).Select(b => b.SubscriberId), rest.Select(r => r.SubscriberId));
        var shares = (await ledger.SharesAsync(1, default)).ToDictionary(s => s.Instance);
        Assert.Equal(4, shares[first.Me.Id].Sent);
        Assert.Equal(6, shares[second.Me.Id].Holding);
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ADigestThatStoppedSendingHasNothingToClaim(DatabaseProvider provider)
    {
        await using var db = await LedgerDatabases.CreateAsync(provider, Folder, readers: 10);
        var ledger = new DeliveryLedger(db, _clock);
        var instance = new Instance(db, _clock);
        await instance.Heartbeats.BeatAsync(default);
        await using (var connection = await db.OpenAsync())
            await connection.ExecuteAsync("UPDATE digests SET status = 'failed' WHERE id = 1");

        Assert.Empty(await ledger.ClaimAsync(1, instance.Me.Id, 0, 10, default));
        Assert.False(await ledger.HeldByOthersAsync(1, "someone-else", default));
    }

    private sealed class Instance(Db db, TimeProvider clock)
    {
        public SendInstance Me { get; } = new();

        public SendInstances Heartbeats => new(db, Me, clock);
    }

    [Fact]
    public async Task SqliteReadsWithoutClaiming()
    {
        await using var db = await LedgerDatabases.CreateAsync(DatabaseProvider.Sqlite, Folder, readers: 10);
        var ledger = new DeliveryLedger(db, _clock);

        var batch = await ledger.ClaimAsync(1, "only-instance", 0, 4, default);

        Assert.Equal([1L, 2, 3, 4], batch.Select(b => b.SubscriberId));
        Assert.Equal([5L, 6, 7, 8], (await ledger.ClaimAsync(1, "only-instance", 4, 4, default)).Select(b => b.SubscriberId));
        await using var connection = await db.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM deliveries WHERE claimed_by IS NOT NULL"));
    }
}
