using System.Diagnostics;
using Microsoft.Extensions.Options;
using Newsletter.Core.Email;
using Newsletter.Core.Options;

namespace Newsletter.Api.Hosting;

/// <summary>
/// Keeps the Razor compiler out of the service's process: templates missing from the cache folder
/// are compiled by a short-lived child (this program, asked only to compile), so the service loads
/// every template from disk and never maps Roslyn, which took its peak memory from ~150 to ~260 MB.
/// </summary>
public static class TemplateCompilation
{
    /// <summary>The child's command-line setting: compile the templates into the cache, then exit.</summary>
    public const string CompileOnlyKey = "Templates:CompileOnly";

    private static readonly TimeSpan ChildLimit = TimeSpan.FromMinutes(2);

    /// <summary>The cache folder: the configured one, else template-cache/ beside the database.</summary>
    public static string CacheDirectory(TemplateOptions options, IConfiguration configuration, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(options.CachePath)) return Path.GetFullPath(options.CachePath, contentRoot);
        return NewsletterDefaults.BesideDatabase(configuration, contentRoot, "template-cache");
    }

    /// <summary>The child's work: every template compiled into the cache folder.</summary>
    public static void CompileAll(IServiceProvider services) =>
        services.GetRequiredService<TemplateRenderer>().WarmAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Before the service renders anything: a cold cache is filled by a child process. If that fails,
    /// the service compiles on first use itself, as it would without a cache.
    /// </summary>
    public static void EnsureCompiled(IServiceProvider services)
    {
        var renderer = services.GetRequiredService<TemplateRenderer>();
        if (renderer.IsWarm || !services.GetRequiredService<IOptions<TemplateOptions>>().Value.CompileInChildProcess) return;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TemplateCompilation));
        var started = Stopwatch.GetTimestamp();
        using var child = Process.Start(ChildStart(Environment.GetCommandLineArgs()[1..]));
        if (child is null) return;
        if (!child.WaitForExit(ChildLimit)) child.Kill(entireProcessTree: true);
        if (child.HasExited && child.ExitCode == 0 && renderer.IsWarm)
            logger.LogInformation("Templates compiled into {Folder} in {Elapsed}", renderer.Cache.Folder, Stopwatch.GetElapsedTime(started));
        else
            logger.LogWarning("Compiling the templates in a child process failed; they will be compiled in this process on first use");
    }

    /// <summary>This program again, with the same arguments (environment and working folder are inherited).</summary>
    private static ProcessStartInfo ChildStart(string[] args)
    {
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(typeof(TemplateCompilation).Assembly.Location);
        }
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.ArgumentList.Add($"--{CompileOnlyKey}=true");
        return start;
    }
}
