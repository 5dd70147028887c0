using Microsoft.Data.Sqlite;

namespace Newsletter.Core.Data;

/// <summary>
/// The database cannot be used by this service: a second service on the same SQLite file (it would
/// send every digest again), or a PostgreSQL server that does not answer. The start stops with the message.
/// </summary>
public sealed class DatabaseInUseException(string message) : Exception(message);

/// <summary>
/// One service per database: an operating-system lock on a file beside the database, held while
/// the process lives. The system drops it when the process ends however it ends, so a restart
/// right after a kill -9 starts at once; a row with a timestamp would have to wait for it to expire.
/// On PostgreSQL (<paramref name="connectionString"/> null) there is nothing to lock: instances
/// share the database and its sends by design (<see cref="Digests.DeliveryLedger.ClaimAsync"/>).
/// </summary>
public sealed class DatabaseLock(string? connectionString) : IDisposable
{
    private readonly object _gate = new();
    private FileStream? _held;

    /// <summary>Takes the lock, or does nothing when this process holds it or the database is not a file.</summary>
    /// <exception cref="DatabaseInUseException">Another process holds it.</exception>
    public void Acquire()
    {
        lock (_gate)
        {
            if (_held is not null || connectionString is null || DatabaseFile(connectionString) is not { } database) return;
            var path = database + ".lock";
            try
            {
                // FileShare.None is an exclusive lock (flock on Unix), refused while any other open holds it.
                // The file is never deleted: a process that opened the old one would then hold a lock no one sees.
                _held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                throw new DatabaseInUseException(
                    $"The service cannot start: another instance is using the database {database} (it holds {path}); two would both send.");
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _held?.Dispose();
            _held = null;
        }
    }

    /// <summary>The database's full path; null for an in-memory database.</summary>
    private static string? DatabaseFile(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var source = builder.DataSource;
        if (source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var query = source.IndexOf('?');
            if (query >= 0 && source[query..].Contains("mode=memory", StringComparison.OrdinalIgnoreCase)) return null;
            source = Uri.UnescapeDataString(query >= 0 ? source[5..query] : source[5..]);
        }
        if (builder.Mode == SqliteOpenMode.Memory || source is "" or ":memory:") return null;
        return Path.GetFullPath(source);
    }
}
