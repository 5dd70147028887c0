using Microsoft.Data.Sqlite;
using Newsletter.Core.Options;
using Newsletter.Core.Data;

namespace Newsletter.Api.Hosting;

public static class NewsletterDefaults
{
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>
    /// The command line plus one default: settings are read once and validated at start, so
    /// watching appsettings.json for changes would only cost a file watcher on the working folder,
    /// where the database and its WAL are written thousands of times a second during a send.
    /// </summary>
    public static string[] Arguments(string[] args) =>
        args.Any(a => a.Contains("reloadConfigOnChange", StringComparison.OrdinalIgnoreCase))
            ? args
            : [.. args, "--hostBuilder:reloadConfigOnChange=false"];

    /// <summary>
    /// Log levels for the layers under the paper fetch, which log every try of a failing request
    /// (Polly, for the resilience handler, at Warning with the exception and its stack trace). The
    /// fetch's caller logs the one warning that says what failed. Added below every other source,
    /// so appsettings.json and Logging__LogLevel__* still decide when they name a category.
    /// </summary>
    private static readonly Dictionary<string, string?> QuietLogging = new()
    {
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Polly"] = "None",
        // Data protection warns at every new key that no XML encryptor is configured. There is none on
        // Linux; the keys are kept like the database beside them (which holds the signing key): by
        // the folder's permissions. An expected state, not a warning an operator can act on.
        ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
    };

    /// <summary>Listens on the contract's address unless --urls or ASPNETCORE_URLS says otherwise; quiet HTTP client logs.</summary>
    public static WebApplicationBuilder UseNewsletterDefaults(this WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = QuietLogging });
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            builder.WebHost.UseUrls(DefaultUrl);
        return builder;
    }

    /// <summary>
    /// Runs the service; a setting that fails validation at start, or a database another instance
    /// uses, ends it with one line saying what is wrong, and exit code 2, rather than a stack trace.
    /// Started with <see cref="TemplateCompilation.CompileOnlyKey"/>, it only compiles the templates.
    /// </summary>
    public static void RunOrExplain(this WebApplication app)
    {
        try
        {
            // Validated before the host starts, because a host that fails to start logs the failure
            // with its stack trace before this method could explain it in one line.
            app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
            if (app.Configuration.GetValue<bool>(TemplateCompilation.CompileOnlyKey))
            {
                TemplateCompilation.CompileAll(app.Services);
                return;
            }
            // Taken before the host starts, so a refused start has nothing to stop and nothing to log.
            app.Services.GetRequiredService<DatabaseLock>().Acquire();
            EnsureDatabaseAnswers(app.Services.GetRequiredService<Newsletter.Core.Data.Db>());
            TemplateCompilation.EnsureCompiled(app.Services);
            app.Run();
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            Console.Error.WriteLine($"The service cannot start, a setting is invalid: {string.Join(" ", e.Failures)}");
            Environment.ExitCode = 2;
        }
        catch (DatabaseInUseException e)
        {
            Console.Error.WriteLine(e.Message);
            Environment.ExitCode = 2;
        }
    }

    /// <summary>
    /// A PostgreSQL server that is down or refuses the login stops the start with one line saying so,
    /// rather than a host start-up failure with its stack trace. (A SQLite file is made if missing.)
    /// </summary>
    private static void EnsureDatabaseAnswers(Newsletter.Core.Data.Db db)
    {
        if (!db.IsPostgres) return;
        try
        {
            using var connection = db.Open();
        }
        catch (System.Data.Common.DbException e)
        {
            throw new DatabaseInUseException($"The service cannot start: the PostgreSQL database of ConnectionStrings:Newsletter does not answer: {e.Message}");
        }
    }

    /// <summary>The connection string, the contract's SQLite default when none is configured.</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Newsletter") ?? "Data Source=newsletter.db";

    /// <summary>The engine configured; an unknown name is refused at start by <see cref="DatabaseOptionsValidator"/>.</summary>
    public static DatabaseProvider Provider(IConfiguration configuration) =>
        new DatabaseOptions { Provider = configuration[$"{DatabaseOptions.Section}:Provider"] ?? "" }.Kind ?? DatabaseProvider.Sqlite;

    /// <summary>
    /// A folder of the service's own state, beside its SQLite file (in the temporary folder for an
    /// in-memory one); with PostgreSQL, in the working directory of this instance.
    /// </summary>
    public static string BesideDatabase(IConfiguration configuration, string contentRoot, string folder)
    {
        // With PostgreSQL there is no file to sit beside: the instance's own working directory
        // (not the content root, which under a test host is the project's source folder).
        var inWorkingDirectory = Path.Combine(Directory.GetCurrentDirectory(), folder);
        if (Provider(configuration) == DatabaseProvider.Postgres) return inWorkingDirectory;
        SqliteConnectionStringBuilder database;
        try
        {
            database = new SqliteConnectionStringBuilder(ConnectionString(configuration));
        }
        catch (ArgumentException)
        {
            // Not a SQLite string: DatabaseOptionsValidator stops the start, saying so, before this is used.
            return inWorkingDirectory;
        }
        var inMemory = database.Mode == SqliteOpenMode.Memory || database.DataSource is "" or ":memory:";
        return inMemory
            ? Path.Combine(Path.GetTempPath(), "newsletter-" + folder)
            : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(database.DataSource, contentRoot))!, folder);
    }

    /// <summary>
    /// A product asset (templates, seed papers): the configured path, else the folder in the working
    /// directory (a clone run with dotnet run), else the copy shipped beside the binary.
    /// </summary>
    public static string ResolveAsset(string? configured, string contentRoot, string relative)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured, contentRoot);
        var inContentRoot = Path.Combine(contentRoot, relative);
        return Path.Exists(inContentRoot) ? inContentRoot : Path.Combine(AppContext.BaseDirectory, relative);
    }
}
