using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>Keeps what the service logs, so a test can read it as an operator reads the console.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    private readonly SemaphoreSlim _logged = new(0);

    /// <summary>Waits (at most 30 s) until <paramref name="count"/> lines containing <paramref name="text"/> were logged.</summary>
    public async Task WaitForAsync(string text, int count = 1)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Lines.Count(l => l.Contains(text, StringComparison.Ordinal)) < count)
        {
            try { await _logged.WaitAsync(timeout.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"Waited 30 s for {count} log lines with '{text}'."); }
        }
    }

    /// <summary>The same lines with their level, category and exception, for tests about how loudly something is logged.</summary>
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var message = formatter(state, exception);
            owner.Lines.Enqueue(message);
            owner.Entries.Enqueue(new LogEntry(logLevel, category, message, exception));
            owner._logged.Release();
        }
    }
}

public sealed record LogEntry(LogLevel Level, string Category, string Message, Exception? Exception);
