using System.Collections.Concurrent;
using MimeKit;
using Newsletter.Core.Bounces;

namespace Newsletter.Api.Tests.Bounces;

/// <summary>
/// Test-only stand-in for the classifier, for tests about reading the mailbox: records the
/// Message-ID of every message it is handed and can be told to fail on some.
/// </summary>
public sealed class RecordingMailHandler : IReturnedMailHandler
{
    private readonly SemaphoreSlim _handed = new(0);

    public ConcurrentQueue<string> Handled { get; } = new();

    /// <summary>Message-IDs whose handling throws, as a broken classifier or database would.</summary>
    public ConcurrentDictionary<string, bool> Failing { get; } = new();

    public Task<BounceResult> HandleAsync(MimeMessage message, CancellationToken ct)
    {
        var id = message.MessageId ?? "";
        if (Failing.ContainsKey(id)) throw new InvalidOperationException("The classifier broke down");
        Handled.Enqueue(id);
        _handed.Release();
        return Task.FromResult(new BounceResult(BounceAction.Ignored, null));
    }

    /// <summary>Waits (at most 30 s) until the message with this Message-ID was handed over.</summary>
    public async Task WaitForAsync(string messageId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!Handled.Contains(messageId))
        {
            try { await _handed.WaitAsync(timeout.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"Waited 30 s for {messageId}; handled: {string.Join(", ", Handled)}."); }
        }
    }
}
