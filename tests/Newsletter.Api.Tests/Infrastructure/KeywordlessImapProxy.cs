using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>
/// Stands between the service and Dovecot on loopback and takes <c>\*</c> out of the
/// PERMANENTFLAGS a folder is opened with: to the client, a server that keeps no keywords of its
/// own making, as some hosted mailboxes are. Everything else passes through byte for byte.
/// </summary>
public sealed class KeywordlessImapProxy : IAsyncDisposable
{
    private static readonly byte[] PermanentFlags = Encoding.ASCII.GetBytes("[PERMANENTFLAGS (");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _serverPort;
    private readonly Task _accepting;

    public KeywordlessImapProxy(int serverPort)
    {
        _serverPort = serverPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many PERMANENTFLAGS answers lost their <c>\*</c>: the client really saw the keywordless server.</summary>
    public int Rewritten => _rewritten;

    private int _rewritten;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _serverPort, _stop.Token);
                var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
                var down = CopyRewritingAsync(server.GetStream(), client.GetStream(), _stop.Token);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException) { }
        }
    }

    /// <summary>Copies line by line (IMAP answers are lines, literals pass through as bytes), rewriting only PERMANENTFLAGS.</summary>
    private async Task CopyRewritingAsync(Stream from, Stream to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        var line = new List<byte>();
        int read;
        while ((read = await from.ReadAsync(buffer, ct)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                line.Add(buffer[i]);
                if (buffer[i] != (byte)'\n') continue;
                await to.WriteAsync(Rewrite(line.ToArray()), ct);
                line.Clear();
            }
            if (line.Count > 0)
            {
                // A partial line long enough to show it is no "* OK [PERMANENTFLAGS (" answer (a
                // literal's bytes) goes on at once.
                if (line.Count >= PermanentFlags.Length + 8 && line.ToArray().AsSpan().IndexOf(PermanentFlags) < 0)
                {
                    await to.WriteAsync(line.ToArray(), ct);
                    line.Clear();
                }
            }
            await to.FlushAsync(ct);
        }
    }

    private byte[] Rewrite(byte[] line)
    {
        if (line.AsSpan().IndexOf(PermanentFlags) < 0) return line;
        var text = Encoding.ASCII.GetString(line);
        var rewritten = text.Replace(" \\*)]", ")]");
        if (rewritten != text) Interlocked.Increment(ref _rewritten);
        return Encoding.ASCII.GetBytes(rewritten);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
