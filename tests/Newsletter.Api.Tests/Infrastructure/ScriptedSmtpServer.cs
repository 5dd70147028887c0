using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>What the scripted server does with one command.</summary>
public abstract record Reply
{
    public sealed record Line(string Text) : Reply;

    /// <summary>Closes the connection without answering, as a crashed relay or a cut network does.</summary>
    public sealed record Drop : Reply;

    /// <summary>Answers after a pause, to run past the client's timeout.</summary>
    public sealed record After(TimeSpan Delay, string Text) : Reply;

    public static readonly Reply Ok = new Line("250 2.0.0 OK");
}

/// <summary>
/// A small real SMTP server on a loopback port chosen by the OS whose answers a test scripts:
/// refusals at connect, AUTH, MAIL, RCPT or DATA, dropped connections and slow replies.
/// </summary>
public sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _rcptAttempts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _dataAttempts = new(StringComparer.OrdinalIgnoreCase);
    private int _connections;

    public ScriptedSmtpServer()
    {
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The most messages that were ever between their MAIL FROM and the answer to their data at once.</summary>
    public int MostInFlight => Volatile.Read(ref _mostInFlight);

    private int _inFlight;
    private int _mostInFlight;

    /// <summary>Answer to a new connection; null: the usual greeting.</summary>
    public Func<Reply?> OnConnect { get; set; } = () => null;

    /// <summary>Accepted credentials; null: AUTH is not offered.</summary>
    public (string User, string Password)? Credentials { get; set; }

    /// <summary>Answer to RCPT TO for a recipient, given how many times it was asked for before.</summary>
    public Func<string, int, Reply> OnRcpt { get; set; } = (_, _) => Reply.Ok;

    /// <summary>Answer after the data of a message for a recipient, given how many times its data came before.</summary>
    public Func<string, int, Reply> OnData { get; set; } = (_, _) => Reply.Ok;

    /// <summary>Messages accepted, by recipient.</summary>
    public ConcurrentDictionary<string, int> Delivered { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int DeliveredTo(string recipient) => Delivered.GetValueOrDefault(recipient);

    /// <summary>How often RCPT TO named the recipient, whatever the answer.</summary>
    public int RcptAttempts(string recipient) => _rcptAttempts.GetValueOrDefault(recipient);

    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits (at most 30 s) until <paramref name="condition"/> holds, checking after each delivery.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var changed = _changed.Task;
            if (condition()) return;
            try { await changed.WaitAsync(timeout.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"Waited 30 s for {what}."); }
        }
    }

    private void Changed() => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        // Whether this session is inside a mail transaction (MAIL given, not yet ended).
        var open = false;
        try
        {
            if (OnConnect() is { } refusal)
            {
                await AnswerAsync(writer, refusal);
                return;
            }
            await writer.WriteLineAsync("220 scripted.test ESMTP");
            string? recipient = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                Reply reply;
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync(Credentials is null ? "250-scripted.test\r\n250 HELP" : "250-scripted.test\r\n250 AUTH PLAIN");
                        continue;
                    case "HELO":
                        reply = Reply.Ok;
                        break;
                    case "AUTH":
                        reply = new Reply.Line(IsAuthorised(line) ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
                        break;
                    case "MAIL":
                        recipient = null;
                        if (!open) InFlight(+1);
                        open = true;
                        reply = Reply.Ok;
                        break;
                    case "RCPT":
                        var address = line[(line.IndexOf('<') + 1)..line.IndexOf('>')];
                        reply = OnRcpt(address, _rcptAttempts.AddOrUpdate(address, 1, (_, n) => n + 1) - 1);
                        if (reply is Reply.Line { Text: [ '2', .. ] }) recipient = address;
                        else Changed();
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".") { }
                        reply = OnData(recipient!, _dataAttempts.AddOrUpdate(recipient!, 1, (_, n) => n + 1) - 1);
                        if (reply is Reply.Line { Text: ['2', ..] }) Delivered.AddOrUpdate(recipient!, 1, (_, n) => n + 1);
                        if (!await AnswerAsync(writer, reply)) return;
                        InFlight(-1);
                        open = false;
                        Changed();
                        continue;
                    case "RSET":
                        if (open) InFlight(-1);
                        open = false;
                        reply = Reply.Ok;
                        break;
                    case "NOOP":
                        reply = Reply.Ok;
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    default:
                        reply = new Reply.Line("502 5.5.2 Command not recognized");
                        break;
                }
                if (!await AnswerAsync(writer, reply)) return;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            if (open) InFlight(-1);
        }
    }

    private void InFlight(int change)
    {
        var now = Interlocked.Add(ref _inFlight, change);
        for (var most = Volatile.Read(ref _mostInFlight); now > most; most = Volatile.Read(ref _mostInFlight))
        {
            if (Interlocked.CompareExchange(ref _mostInFlight, now, most) == most) break;
        }
    }

    private bool IsAuthorised(string line)
    {
        var parts = line.Split(' ');
        if (Credentials is not { } expected || parts.Length < 3) return false;
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parts[2])).Split('\0');
        return decoded.Length == 3 && decoded[1] == expected.User && decoded[2] == expected.Password;
    }

    /// <returns>False when the connection is to be dropped.</returns>
    private async Task<bool> AnswerAsync(StreamWriter writer, Reply reply)
    {
        switch (reply)
        {
            case Reply.Drop:
                return false;
            case Reply.After after:
                await Task.Delay(after.Delay, _stop.Token);
                await writer.WriteLineAsync(after.Text);
                return true;
            case Reply.Line { Text: var text }:
                await writer.WriteLineAsync(text);
                return !text.StartsWith("421", StringComparison.Ordinal);
            default:
                return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _stop.Dispose();
    }
}
