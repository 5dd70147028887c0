using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL 15 server for tests: Debian's binaries, a cluster in a temporary folder of its
/// own, listening on 127.0.0.1 on a free port, with one superuser and trust authentication. Tuned
/// for speed, not durability (fsync off): its data is worth nothing after the run. One server per
/// test process (<see cref="SharedAsync"/>); each test app takes a database of its own.
/// Newsletter.Core.Tests links this file, so it uses nothing else from this folder.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string Superuser = "newsletter_test";
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private const string Initdb = Bin + "/initdb";
    private const string PgCtl = Bin + "/pg_ctl";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartSharedAsync);

    // PostgreSQL refuses to run as root; as root (CI, this machine) it runs as Debian's postgres user.
    private static readonly bool AsPostgresUser = Environment.IsPrivilegedProcess;

    private readonly string _folder = TemporaryFolder();
    private Process? _watchdog;

    private PostgresServer() { }

    public int Port { get; private set; }

    /// <summary>The server's folder: the cluster, the server log and the unix socket.</summary>
    public string Folder => _folder;

    public string LogPath => Path.Combine(_folder, "server.log");

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>The test process's one server, started on first use and stopped when the process exits.</summary>
    public static Task<PostgresServer> SharedAsync() => Shared.Value;

    /// <summary>A server of the caller's own, stopped by <see cref="DisposeAsync"/>. Tests want <see cref="SharedAsync"/>.</summary>
    public static Task<PostgresServer> StartAsync()
    {
        if (!File.Exists(Initdb))
            throw new InvalidOperationException($"{Initdb} is missing: install Debian's postgresql (.ci/run does).");
        // About a second of initdb and pg_ctl, which only block: one pool thread waits for them.
        return Task.Run(() =>
        {
            var server = new PostgresServer();
            try
            {
                server.StartWatchdog();
                server.CreateCluster();
                server.StartServer();
                return server;
            }
            catch
            {
                server.Stop();
                throw;
            }
        });
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = database,
        Pooling = true,
    }.ConnectionString;

    /// <summary>A new empty database with a name no other test uses; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var name = $"{Sanitized(prefix ?? "test")}_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE {Quoted(name)}");
        return ConnectionString(name);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever connections it still has.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        if (target.Port != Port || target.Host != "127.0.0.1" || target.Database is null or "postgres" || target.Database.StartsWith("template"))
            throw new ArgumentException($"Not a test database of the server on port {Port}: {connectionString}", nameof(connectionString));
        using (var pooled = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(pooled);
        await ExecuteAsync($"DROP DATABASE IF EXISTS {Quoted(target.Database)} WITH (FORCE)");
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    /// <summary>What the kernel does when the test process dies: closes the watchdog's pipe (for a test of the watchdog).</summary>
    internal void AbandonToWatchdog()
    {
        _watchdog?.StandardInput.Close();
        _watchdog = null;
    }

    private static async Task<PostgresServer> StartSharedAsync()
    {
        var server = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    // Database names cannot be parameters; ours come from Sanitized and a Guid, and are quoted besides.
    private async Task ExecuteAsync(string statement)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(statement, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Sanitized(string prefix)
    {
        var kept = new string(prefix.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        return kept.Length == 0 ? "test" : kept[..Math.Min(kept.Length, 24)];
    }

    private static string Quoted(string identifier) => '"' + identifier.Replace("\"", "\"\"") + '"';

    /// <summary>Stops the server at once (nothing in it needs to survive) and deletes its folder.</summary>
    private void Stop()
    {
        // Failing here (a server already gone) must not stop the deletion, nor throw from ProcessExit.
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
            TryRun([.. AsUser(PgCtl), "stop", "-D", DataFolder, "-m", "immediate", "-w", "-t", "30"]);
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* the watchdog's rm -rf or the OS cleans temp */ }
        // With nothing left, the watchdog finds no server and ends.
        _watchdog?.StandardInput.Close();
        _watchdog = null;
    }

    /// <summary>
    /// Guards against a leaked server when the test host is killed (kill -9, a hang timeout) and
    /// ProcessExit never runs: a shell, detached from the test process's tree by setsid, reads a pipe
    /// whose other end only the test process holds. Any death of the test process closes that end;
    /// the shell then stops the server and deletes its folder. No polling.
    /// </summary>
    private void StartWatchdog()
    {
        const string script = """
            folder=$1; shift
            cd / && exec >/dev/null 2>&1
            cat
            "$@" stop -D "$folder/data" -m immediate -w -t 30
            rm -rf "$folder"
            """;
        var start = new ProcessStartInfo("setsid") { RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-f", "sh", "-c", script, "postgres-watchdog", _folder, .. AsUser(PgCtl)])
            start.ArgumentList.Add(argument);
        _watchdog = Process.Start(start) ?? throw new InvalidOperationException("Could not start the watchdog (setsid).");
        _watchdog.WaitForExit();
    }

    private void CreateCluster()
    {
        if (AsPostgresUser) Run(["chown", "postgres:postgres", _folder]);
        // C.UTF-8 so that lower() and citext fold more than ASCII; --no-sync because fsync is off anyway.
        Run([.. AsUser(Initdb), "-D", DataFolder, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        // Appended as root the file stays the postgres user's. The port is given at each start.
        File.AppendAllText(Path.Combine(DataFolder, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{_folder}'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_connections = 300
            shared_buffers = 32MB

            """);
    }

    /// <summary>Binds a free port, releases it and starts the server there; another process taking it first means another try.</summary>
    private void StartServer()
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            var logBefore = File.Exists(LogPath) ? new FileInfo(LogPath).Length : 0;
            var (exitCode, output) = TryRun([.. AsUser(PgCtl), "start", "-D", DataFolder, "-l", LogPath, "-o", $"-p {Port}", "-w", "-t", "60"]);
            if (exitCode == 0) return;

            var log = File.Exists(LogPath) ? File.ReadAllText(LogPath)[(int)logBefore..] : "(no server log)";
            if (attempt < 5 && log.Contains("Address already in use")) continue;
            throw new InvalidOperationException($"PostgreSQL did not start on port {Port}:\n{output}\nServer log:\n{log}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string[] AsUser(string executable) => AsPostgresUser ? ["runuser", "-u", "postgres", "--", executable] : [executable];

    private void Run(string[] command)
    {
        var (exitCode, output) = TryRun(command);
        if (exitCode != 0)
            throw new InvalidOperationException($"{string.Join(' ', command)} failed ({exitCode}):\n{output}");
    }

    /// <summary>Runs a command in the server's folder; returns its exit code and what it wrote.</summary>
    private (int ExitCode, string Output) TryRun(string[] command)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        foreach (var argument in command[1..]) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + command[0]);
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    /// <summary>
    /// A new folder under the usual temporary folder, or under /tmp when that will not do: the unix
    /// socket's path must stay short, and as root the postgres user must be able to reach the folder.
    /// </summary>
    private static string TemporaryFolder()
    {
        var usual = Path.GetTempPath();
        var fits = usual.Length <= 60 && (!AsPostgresUser || OpenToAll(usual));
        var parent = fits ? usual : "/tmp";
        return Directory.CreateDirectory(Path.Combine(parent, "pg-" + Guid.NewGuid().ToString("N")[..12])).FullName;
    }

    private static bool OpenToAll(string folder)
    {
        for (var current = new DirectoryInfo(folder); current is not null; current = current.Parent)
        {
            if (!current.UnixFileMode.HasFlag(UnixFileMode.OtherExecute)) return false;
        }
        return true;
    }
}
