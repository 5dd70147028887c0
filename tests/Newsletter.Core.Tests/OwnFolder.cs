using Microsoft.Data.Sqlite;

namespace Newsletter.Core.Tests;

/// <summary>For tests that keep SQLite files: a temporary folder of their own, removed afterwards.</summary>
public abstract class OwnFolder : IDisposable
{
    protected string Folder { get; } = Directory.CreateTempSubdirectory("newsletter-core-").FullName;

    public void Dispose()
    {
        // Pooled connections keep the files open; release them before the folder goes.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
