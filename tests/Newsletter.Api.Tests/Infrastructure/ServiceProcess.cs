using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>
/// The service as its own operating-system process (the built Newsletter.Api.dll), so a test can
/// kill it with SIGKILL mid-send and start it again on the same database.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(string folder, IDictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Newsletter.Api.dll"), "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Information";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line) Add(line);
            if (e.Data is { } l && Listening().Match(l) is { Success: true } m) _listening.TrySetResult(m.Groups[1].Value);
        };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Add(line); };
        _process.Exited += (_, _) =>
        {
            // Waits for the rest of its output, so the reason it gave is in the message.
            _process.WaitForExit();
            _listening.TrySetException(new InvalidOperationException($"The service exited with code {_process.ExitCode}:\n" + string.Join("\n", Output)));
        };
        _process.EnableRaisingEvents = true;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();

    private readonly SemaphoreSlim _printed = new(0);

    private void Add(string line)
    {
        Output.Enqueue(line);
        _printed.Release();
    }

    /// <summary>Waits until the service has printed a line that matches.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Output.FirstOrDefault(match) is { } line) return line;
            try { await _printed.WaitAsync(cts.Token); }
            catch (OperationCanceledException) { throw new TimeoutException("No such line in:\n" + string.Join("\n", Output)); }
        }
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>The operating system's id of the process: part of the instance id it gives itself in a cluster.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The settings of a service with its own database in <paramref name="folder"/> and the relay on loopback.</summary>
    public static Dictionary<string, string?> Settings(string folder, int smtpPort) => new(TestDatabase.For(folder))
    {
        ["Newsletter:AdminApiKey"] = NewsletterApp.AdminKey,
        ["Newsletter:PublicBaseUrl"] = NewsletterApp.BaseUrl,
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = smtpPort.ToString(),
        ["Smtp:Security"] = "None",
        ["Digest:Cron"] = "0 0 8 1 1 ? 2099",
        ["PaperSources:HuggingFace:Enabled"] = "false",
    };

    public static async Task<ServiceProcess> StartAsync(string folder, IDictionary<string, string?> settings)
    {
        var service = new ServiceProcess(folder, settings);
        service.BaseUrl = await service._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return service;
    }

    public HttpClient AdminClient(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();
}
