using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>
/// A real headless Chromium (Debian's package), driven over the DevTools protocol: pages are
/// loaded, forms filled and buttons clicked the way a person's browser does.
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _calls = new();
    private readonly SemaphoreSlim _loaded = new(0);
    private readonly CancellationTokenSource _stop = new();
    private int _nextId;

    private HeadlessChromium(Process process, string profile) => (_process, _profile) = (process, profile);

    public static string Executable => Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";

    public static async Task<HeadlessChromium> StartAsync()
    {
        var profile = Directory.CreateTempSubdirectory("newsletter-chromium-").FullName;
        var start = new ProcessStartInfo(Executable,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--window-size=1000,1400", $"--user-data-dir={profile}",
            "--remote-debugging-port=0", "about:blank",
        ])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        var browser = new HeadlessChromium(process, profile);
        var endpoint = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && DevTools().Match(line) is { Success: true } m) endpoint.TrySetResult(new Uri(m.Groups[1].Value));
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var browserUri = await endpoint.Task.WaitAsync(TimeSpan.FromSeconds(30));

        using var http = new HttpClient();
        var targets = await http.GetFromJsonAsync<JsonElement>($"http://{browserUri.Authority}/json/list");
        var page = targets.EnumerateArray().First(t => t.GetProperty("type").GetString() == "page");
        await browser._socket.ConnectAsync(new Uri(page.GetProperty("webSocketDebuggerUrl").GetString()!), CancellationToken.None);
        _ = browser.ReceiveLoopAsync();
        await browser.CallAsync("Page.enable");
        return browser;
    }

    /// <summary>Opens the address and waits for the page to finish loading.</summary>
    public async Task GoToAsync(string url)
    {
        DrainLoads();
        await CallAsync("Page.navigate", new JsonObject { ["url"] = url });
        await WaitForLoadAsync();
    }

    /// <summary>Runs script in the page and returns its value.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await CallAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result.TryGetProperty("exceptionDetails", out var error)) throw new InvalidOperationException(error.ToString());
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
    }

    /// <summary>
    /// Waits, in the page itself, until the script condition holds (checked every 50 ms), for changes
    /// the page makes without loading a new one.
    /// </summary>
    public async Task WaitForAsync(string condition, TimeSpan? timeout = null)
    {
        var ms = (int)(timeout ?? TimeSpan.FromSeconds(25)).TotalMilliseconds;
        var wait = $$"""
            new Promise((resolve, reject) => {
              const until = Date.now() + {{ms}};
              const check = () => { try { if ({{condition}}) return resolve(true); } catch {} Date.now() > until ? reject(new Error('timed out')) : setTimeout(check, 50); };
              check();
            })
            """;
        var result = await CallAsync("Runtime.evaluate", new JsonObject { ["expression"] = wait, ["awaitPromise"] = true, ["returnByValue"] = true });
        if (result.TryGetProperty("exceptionDetails", out _))
            throw new TimeoutException($"The page never met {condition}; it shows:\n{await TextAsync()}");
    }

    public async Task<string> TextAsync() => (await EvaluateAsync("document.body.innerText")).GetString()!;

    /// <summary>Types into a field as a person would (the value, then an input event).</summary>
    public Task FillAsync(string selector, string value) => EvaluateAsync(
        $"(() => {{ const e = document.querySelector({JsonSerializer.Serialize(selector)}); e.focus(); e.value = {JsonSerializer.Serialize(value)}; e.dispatchEvent(new Event('input', {{bubbles: true}})); }})()");

    /// <summary>Clicks an element that leads to a new page, and waits for that page.</summary>
    public async Task ClickAndWaitAsync(string selector)
    {
        DrainLoads();
        await EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)}).click()");
        await WaitForLoadAsync();
    }

    /// <summary>
    /// Lays pages out as on a screen <paramref name="width"/> CSS pixels wide, for a person who chose
    /// the dark (or light) appearance: what <c>prefers-color-scheme</c> answers.
    /// </summary>
    public async Task EmulateScreenAsync(int width, int height, bool dark)
    {
        await CallAsync("Emulation.setDeviceMetricsOverride",
            new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
        await CallAsync("Emulation.setEmulatedMedia", new JsonObject
        {
            ["features"] = new JsonArray(new JsonObject { ["name"] = "prefers-color-scheme", ["value"] = dark ? "dark" : "light" }),
        });
    }

    public async Task ScreenshotAsync(string path)
    {
        var shot = await CallAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
    }

    private void DrainLoads()
    {
        while (_loaded.CurrentCount > 0) _loaded.Wait(0);
    }

    private async Task WaitForLoadAsync()
    {
        if (!await _loaded.WaitAsync(TimeSpan.FromSeconds(30))) throw new TimeoutException("The page did not finish loading.");
    }

    private async Task<JsonElement> CallAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var call = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = call;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        return await call.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close) return;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage) continue;
                using var doc = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                var root = doc.RootElement;
                if (root.TryGetProperty("id", out var id) && _calls.TryRemove(id.GetInt32(), out var call))
                {
                    if (root.TryGetProperty("error", out var error)) call.TrySetException(new InvalidOperationException(error.ToString()));
                    else call.TrySetResult(root.GetProperty("result").Clone());
                }
                else if (root.TryGetProperty("method", out var method) && method.GetString() == "Page.loadEventFired")
                {
                    _loaded.Release();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_profile, recursive: true); }
        catch (IOException) { }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevTools();
}
