using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on a loopback port chosen by the OS, in the test process. It keeps what it
/// receives, lets a test wait for mail, and can reject chosen recipients the way a relay does.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    public int Port { get; private set; }

    /// <summary>Recipients for which RCPT TO is answered 550, as for a mailbox that does not exist.</summary>
    public ConcurrentDictionary<string, bool> RejectedRecipients { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<ReceivedMail> Received => _received.ToArray();

    private volatile TaskCompletionSource? _hold;
    private readonly SemaphoreSlim _heldArrival = new(0);

    /// <summary>
    /// From now on each message, once its data is in, waits for <see cref="Release"/> before the
    /// server answers: the sender sees it in flight.
    /// </summary>
    public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release()
    {
        var hold = _hold;
        _hold = null;
        hold?.TrySetResult();
    }

    /// <summary>Waits until a message is being held.</summary>
    public Task WaitForHeldMessageAsync() => _heldArrival.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(t =>
    {
        if (!t.Result) throw new TimeoutException("No message reached the held server.");
    }, TaskScheduler.Default);

    /// <param name="noDelay">
    /// Answers without Nagle's delay: the library's replies otherwise wait for the client's delayed
    /// ACK, about 20 messages/s per connection; tests of throughput (thousands of messages) want it.
    /// </param>
    public static async Task<TestSmtpServer> StartAsync(bool noDelay = false)
    {
        var server = new TestSmtpServer();
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = noDelay ? new NoDelayListenerFactory() : new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);

        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, 0)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new Store(server));
        services.Add(new RecipientFilter(server));
        server._running = new SmtpServer.SmtpServer(options, services).StartAsync(server._stop.Token);
        server.Port = await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return server;
    }

    /// <summary>Waits until a message matching <paramref name="match"/> has arrived, and returns it.</summary>
    public async Task<ReceivedMail> WaitForAsync(Func<ReceivedMail, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var found = _received.FirstOrDefault(match);
            if (found is not null) return found;
            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching mail arrived; received {_received.Count}: " +
                                           string.Join(", ", _received.Select(m => $"{m.To}:{m.Message.Subject}")));
            }
        }
    }

    public Task<ReceivedMail> WaitForMailToAsync(string to, string subjectContains, TimeSpan? timeout = null) =>
        WaitForAsync(m => string.Equals(m.To, to, StringComparison.OrdinalIgnoreCase)
                          && (m.Message.Subject ?? "").Contains(subjectContains, StringComparison.OrdinalIgnoreCase), timeout);

    /// <summary>Waits until <paramref name="count"/> messages matching <paramref name="match"/> have arrived.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForCountAsync(Func<ReceivedMail, bool> match, int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var found = _received.Where(match).ToList();
            if (found.Count >= count) return found;
            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Only {found.Count} of {count} expected mails arrived.");
            }
        }
    }

    public IReadOnlyList<ReceivedMail> MailTo(string to) =>
        _received.Where(m => string.Equals(m.To, to, StringComparison.OrdinalIgnoreCase)).ToList();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            try { await _running.WaitAsync(TimeSpan.FromSeconds(5)); }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException) { }
        }
        _stop.Dispose();
    }

    private void Add(ReceivedMail mail)
    {
        _received.Enqueue(mail);
        _arrived.Release(1);
    }

    /// <summary>
    /// Sets TCP_NODELAY on the listening socket; on Linux accepted connections inherit it. The
    /// library keeps its TcpListener private, hence the reflection.
    /// </summary>
    private sealed class NoDelayListenerFactory : EndpointListenerFactory
    {
        public override IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
        {
            var listener = base.CreateListener(endpointDefinition);
            var field = typeof(EndpointListener).GetField("_tcpListener", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
                        ?? throw new InvalidOperationException("SmtpServer's EndpointListener has no _tcpListener field any more.");
            ((System.Net.Sockets.TcpListener)field.GetValue(listener)!).Server.NoDelay = true;
            return listener;
        }
    }

    private sealed class Store(TestSmtpServer owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var bytes = buffer.ToArray();
            if (owner._hold is { } hold)
            {
                owner._heldArrival.Release();
                await hold.Task;
            }
            using var stream = new MemoryStream(bytes);
            var message = MimeMessage.Load(stream, cancellationToken);
            foreach (var to in transaction.To)
                owner.Add(new ReceivedMail(to.AsAddress(), message, bytes, transaction.From?.AsAddress()));
            return SmtpResponse.Ok;
        }
    }

    private sealed class RecipientFilter(TestSmtpServer owner) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken ct) =>
            Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken ct) =>
            Task.FromResult(!owner.RejectedRecipients.ContainsKey(to.AsAddress()));
    }
}

/// <summary>
/// One message as one recipient received it (the envelope recipient, not the To header), with the
/// envelope sender it came with (MAIL FROM: where bounces go).
/// </summary>
public sealed record ReceivedMail(string To, MimeMessage Message, byte[] Raw, string? EnvelopeFrom = null)
{
    /// <summary>When the server took the message: for rates measured at the relay.</summary>
    public DateTime ReceivedAt { get; } = DateTime.UtcNow;
}
