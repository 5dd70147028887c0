using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Newsletter.Core.Delivery;

namespace Newsletter.Core.Tests.Delivery;

/// <summary>
/// The stream MailKit talks to the relay through: real loopback sockets, a fake clock for the
/// timeouts, so a stalled relay is shown without waiting for it.
/// </summary>
public sealed class RelayStreamTests : IAsyncDisposable
{
    // How long a test waits for what the fake clock set off, before it fails rather than hangs.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private Socket? _relay;

    public RelayStreamTests() => _listener.Start();

    /// <summary>A connected pair: the stream under test, and the relay's end of the socket.</summary>
    private async Task<(RelayStream Stream, Socket Relay)> ConnectAsync(int timeoutMs = 1000)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepted = _listener.AcceptSocketAsync();
        await client.ConnectAsync((IPEndPoint)_listener.LocalEndpoint);
        _relay = await accepted;
        var stream = new RelayStream(client, _clock) { ReadTimeout = timeoutMs, WriteTimeout = timeoutMs };
        return (stream, _relay);
    }

    [Fact]
    public async Task ARelayThatSendsNothingForTheTimeoutEndsTheReadWithATimeoutAndClosesTheConnection()
    {
        var (stream, relay) = await ConnectAsync(timeoutMs: 30_000);
        var read = stream.ReadAsync(new byte[64]).AsTask();

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(read.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(2));

        var e = await Assert.ThrowsAsync<TimeoutException>(() => read.WaitAsync(Bound));
        Assert.Contains("sent nothing for 30000 ms", e.Message);
        // The relay sees the connection end (closed or reset), as when MailKit's own stream timed out.
        Assert.True(await EndedAsync(relay));
    }

    [Fact]
    public async Task ARelayThatStopsTakingDataEndsTheWriteWithATimeout()
    {
        var (stream, _) = await ConnectAsync(timeoutMs: 5_000);
        var chunk = new byte[256 * 1024];
        // The relay never reads: the socket buffers fill and a write stays pending.
        Task write;
        do write = stream.WriteAsync(chunk).AsTask();
        while (await Task.WhenAny(write, Task.Delay(200)) == write);

        _clock.Advance(TimeSpan.FromSeconds(6));

        var e = await Assert.ThrowsAsync<TimeoutException>(() => write.WaitAsync(Bound));
        Assert.Contains("took no data for 5000 ms", e.Message);
    }

    [Fact]
    public async Task ASlowButTimelyRelayIsNotCutOffAndBytesPassUnchangedBothWays()
    {
        var (stream, relay) = await ConnectAsync(timeoutMs: 1000);
        var buffer = new byte[64];
        for (var round = 0; round < 3; round++)
        {
            var read = stream.ReadAsync(buffer).AsTask();
            // Each wait is shorter than the timeout; only the pending one counts.
            _clock.Advance(TimeSpan.FromMilliseconds(900));
            await relay.SendAsync(Encoding.ASCII.GetBytes($"250 ok {round}\r\n"));
            var n = await read;
            Assert.Equal($"250 ok {round}\r\n", Encoding.ASCII.GetString(buffer, 0, n));

            await stream.WriteAsync(Encoding.ASCII.GetBytes($"NOOP {round}\r\n"));
            _clock.Advance(TimeSpan.FromMilliseconds(900));
            n = await relay.ReceiveAsync(buffer);
            Assert.Equal($"NOOP {round}\r\n", Encoding.ASCII.GetString(buffer, 0, n));
        }
    }

    [Fact]
    public async Task ACancelledReadIsACancellationNotATimeout()
    {
        var (stream, _) = await ConnectAsync();
        using var stop = new CancellationTokenSource();
        var read = stream.ReadAsync(new byte[8], stop.Token).AsTask();

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public async Task ATimeoutThatIsNeitherPositiveNorInfiniteIsRefused(int timeout)
    {
        var (stream, _) = await ConnectAsync();
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.ReadTimeout = timeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.WriteTimeout = timeout);
    }

    [Fact]
    public async Task TlsRunsOverIt()
    {
        var (stream, relay) = await ConnectAsync();
        using var certificate = SelfSigned();
        await using var server = new SslStream(new NetworkStream(relay, ownsSocket: false));
        await using var client = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);

        await Task.WhenAll(
            server.AuthenticateAsServerAsync(certificate),
            client.AuthenticateAsClientAsync("relay.test"));
        await client.WriteAsync(Encoding.ASCII.GetBytes("EHLO newsletter\r\n"));
        var buffer = new byte[64];
        var n = await server.ReadAsync(buffer);
        Assert.Equal("EHLO newsletter\r\n", Encoding.ASCII.GetString(buffer, 0, n));
        await server.WriteAsync(Encoding.ASCII.GetBytes("250 relay.test\r\n"));
        n = await client.ReadAsync(buffer);
        Assert.Equal("250 relay.test\r\n", Encoding.ASCII.GetString(buffer, 0, n));
    }

    private static async Task<bool> EndedAsync(Socket relay)
    {
        try
        {
            return await relay.ReceiveAsync(new byte[16]) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=relay.test", key, HashAlgorithmName.SHA256);
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // The server needs the key in a form the platform's TLS can use: a PFX round trip gives it.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
    }

    public ValueTask DisposeAsync()
    {
        _relay?.Dispose();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}
