using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Data;
using Newsletter.Core.Options;

namespace Newsletter.Core.Tests.Cluster;

/// <summary>Work one instance of a cluster may do at a time (the confirmation mails) gets one turn at a time.</summary>
public sealed class ClusterLockTests
{
    [Fact]
    public async Task OnPostgresOneInstanceHasTheTurnUntilItGivesItBack()
    {
        var connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("turns");
        // Two instances: two processes' worth of pools on one database.
        await using var first = new Db(connectionString, DatabaseProvider.Postgres);
        await using var second = new Db(connectionString + ";Application Name=second", DatabaseProvider.Postgres);

        var held = await ClusterLock.TryTakeAsync(first, 42, default);
        Assert.NotNull(held);
        Assert.Null(await ClusterLock.TryTakeAsync(second, 42, default));
        await using (var other = await ClusterLock.TryTakeAsync(second, 43, default)) Assert.NotNull(other);

        await held!.DisposeAsync();
        await using var next = await ClusterLock.TryTakeAsync(second, 42, default);
        Assert.NotNull(next);
    }

    [Fact]
    public async Task OnSqliteTheOneInstanceAlwaysHasTheTurn()
    {
        var db = new Db("Data Source=:memory:");
        await using var first = await ClusterLock.TryTakeAsync(db, 42, default);
        await using var second = await ClusterLock.TryTakeAsync(db, 42, default);
        Assert.NotNull(first);
        Assert.NotNull(second);
    }
}
