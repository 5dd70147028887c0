using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Newsletter.Core.Data;
using Newsletter.Core.Options;
using Npgsql;

namespace Newsletter.Api.Hosting.Commands;

/// <summary>
/// <c>copy-database --to "NPGSQL CONNECTION STRING"</c>: copies the configured SQLite database (the
/// one the service would open: appsettings.json, then environment variables) into an empty
/// PostgreSQL database, all or nothing (<see cref="DatabaseCopy"/>). Exit 0 when copied, 2 with
/// one line on stderr when it cannot be.
/// </summary>
public static class CopyDatabaseCommand
{
    public const string Name = "copy-database";

    private const string Usage = "usage: copy-database --to \"Host=...;Database=...;Username=...;Password=...\" (an empty PostgreSQL database)";

    public static int Run(string[] args)
    {
        if (!TryParse(args, out var target, out var problem))
        {
            Console.Error.WriteLine($"{problem}; {Usage}");
            return 2;
        }
        using var stop = new CancellationTokenSource();
        // Ctrl+C rolls the copy back instead of killing it mid-transaction (which would too, more slowly).
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        try
        {
            return RunAsync(Configuration(), target, stop.Token).GetAwaiter().GetResult();
        }
        catch (DatabaseCopyException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Stopped: nothing was copied.");
            return 2;
        }
    }

    public static async Task<int> RunAsync(IConfiguration configuration, string target, CancellationToken ct)
    {
        var provider = new DatabaseOptions { Provider = configuration[$"{DatabaseOptions.Section}:Provider"] ?? nameof(DatabaseProvider.Sqlite) }.Kind;
        if (provider != DatabaseProvider.Sqlite)
            throw new DatabaseCopyException($"{DatabaseOptions.Section}:Provider is '{configuration[$"{DatabaseOptions.Section}:Provider"]}': copy-database copies the service's SQLite database, so run it with the SQLite settings.");
        var sourceFile = SourceFile(NewsletterDefaults.ConnectionString(configuration), out var sourceConnection);

        // The service holds this lock while it runs: a copy taken meanwhile would miss what it writes next.
        using var serviceLock = new DatabaseLock(sourceConnection);
        try { serviceLock.Acquire(); }
        catch (DatabaseInUseException)
        {
            throw new DatabaseCopyException($"The service is running on {sourceFile}: stop it first, then copy.");
        }

        await using var source = new Db(sourceConnection);
        await using var postgres = new Db(target, DatabaseProvider.Postgres);
        Console.WriteLine($"Copying {sourceFile} into {Describe(target)}");
        var summary = await new DatabaseCopy(source, postgres, NullLoggerFactory.Instance).RunAsync(
            table => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {table.Table,-20} {table.Rows,12:N0} rows  {table.Elapsed.TotalSeconds,6:0.00} s")), ct);
        var perSecond = summary.Rows / Math.Max(summary.Elapsed.TotalSeconds, 0.001);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Copied {summary.Rows:N0} rows in {summary.Elapsed.TotalSeconds:0.0} s ({perSecond:N0} rows/s). Start the service with Database__Provider=Postgres and ConnectionStrings__Newsletter set to the same connection string."));
        return 0;
    }

    /// <summary>The configuration the service reads: appsettings.json in the working folder, appsettings.{environment}.json, environment variables.</summary>
    private static IConfiguration Configuration() =>
        WebApplication.CreateBuilder(NewsletterDefaults.Arguments([])).Configuration;

    /// <summary>The SQLite file, which must exist: opened as the service opens it, a missing one would be created empty and copied.</summary>
    private static string SourceFile(string connectionString, out string readWrite)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
            throw new DatabaseCopyException($"{DatabaseOptions.ConnectionStringKey} names an in-memory database; there is nothing to copy.");
        var path = Path.GetFullPath(builder.DataSource);
        if (!File.Exists(path))
            throw new DatabaseCopyException($"There is no SQLite database at {path} (from {DatabaseOptions.ConnectionStringKey}); run copy-database where the service runs, with its settings.");
        builder.Mode = SqliteOpenMode.ReadWrite;
        readWrite = builder.ToString();
        return path;
    }

    /// <summary>The target as the operator knows it, without its password.</summary>
    private static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL database {builder.Database ?? builder.Username} on {builder.Host}:{builder.Port}";
    }

    private static bool TryParse(string[] args, out string target, out string problem)
    {
        target = problem = "";
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--to" && i + 1 < args.Length) target = args[++i];
            else
            {
                problem = $"unexpected argument '{args[i]}'";
                return false;
            }
        }
        if (target == "") problem = "--to is required";
        else
        {
            try
            {
                if (string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(target).Host)) problem = "--to names no Host";
            }
            catch (ArgumentException e)
            {
                problem = $"--to is not an Npgsql connection string ({e.Message})";
            }
        }
        return problem == "";
    }
}
