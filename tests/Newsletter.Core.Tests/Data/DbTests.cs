using Microsoft.Data.Sqlite;
using Newsletter.Core.Data;

namespace Newsletter.Core.Tests.Data;

public sealed class DbTests : OwnFolder
{
    [Fact]
    public async Task OpeningWithACancelledTokenThrowsAndLeavesNothingOpen()
    {
        var path = Path.Combine(Folder, "cancelled.db");
        var db = new Db($"Data Source={path}");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.OpenAsync(cancelled.Token));

        // A connection left open would hold the file; an exclusive lock is granted only when none does.
        SqliteConnection.ClearAllPools();
        await using var only = new SqliteConnection($"Data Source={path};Pooling=false");
        await only.OpenAsync();
        await using var exclusive = only.CreateCommand();
        exclusive.CommandText = "PRAGMA busy_timeout = 0; BEGIN EXCLUSIVE; COMMIT;";
        await exclusive.ExecuteNonQueryAsync();
    }
}
