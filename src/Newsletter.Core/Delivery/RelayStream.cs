using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Newsletter.Core.Delivery;

/// <summary>
/// The relay connection as MailKit reads and writes it: the socket's own stream, with MailKit's
/// read and write timeouts kept by one watchdog per connection. Given a bare socket, MailKit wraps
/// it in a stream that makes a cancellation source with a timer, a linked source, a registration
/// and a task for every read and write: a fifth of all a send allocated (bench/README.md). The
/// socket's stream makes none of these. A read or write still pending after its timeout closes the
/// socket and fails with a <see cref="TimeoutException"/>, which MailKit passes on and
/// <see cref="SendFailure"/> counts as a broken connection: the message is tried again.
/// </summary>
public sealed class RelayStream : Stream
{
    private static readonly TimeSpan LongestLook = TimeSpan.FromSeconds(1);

    private readonly Socket _socket;
    private readonly NetworkStream _inner;
    private readonly TimeProvider _clock;
    private readonly ITimer _watchdog;
    private int _readTimeout = Timeout.Infinite;
    private int _writeTimeout = Timeout.Infinite;
    // Timestamps (of the clock) at which the pending read or write began; 0 when none is pending.
    private long _readSince;
    private long _writeSince;
    private volatile string? _timedOut;

    public RelayStream(Socket socket, TimeProvider? clock = null)
    {
        _socket = socket;
        _inner = new NetworkStream(socket, ownsSocket: true);
        _clock = clock ?? TimeProvider.System;
        _watchdog = _clock.CreateTimer(static state => ((RelayStream)state!).Look(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override bool CanTimeout => true;

    /// <summary>Milliseconds a read may wait for the relay (MailKit sets it from SmtpClient.Timeout).</summary>
    public override int ReadTimeout
    {
        get => _readTimeout;
        set
        {
            _readTimeout = Checked(value);
            Rearm();
        }
    }

    /// <summary>Milliseconds a write may wait for the relay to take more bytes.</summary>
    public override int WriteTimeout
    {
        get => _writeTimeout;
        set
        {
            _writeTimeout = Checked(value);
            Rearm();
        }
    }

    private int Checked(int value)
    {
        if (value <= 0 && value != Timeout.Infinite) throw new ArgumentOutOfRangeException(nameof(value), value, "a timeout is a positive number of milliseconds, or Timeout.Infinite");
        return value;
    }

    // Looking four times per timeout (at most once a second) ends a stalled command within a
    // quarter of its timeout after it expires.
    private void Rearm()
    {
        var shortest = (uint)Math.Min((uint)_readTimeout, (uint)_writeTimeout);
        var every = shortest > int.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(1, shortest / 4));
        if (every > LongestLook) every = LongestLook;
        _watchdog.Change(every, every);
    }

    private void Look()
    {
        var now = _clock.GetTimestamp();
        var late = Late(Volatile.Read(ref _readSince), _readTimeout, now) ? $"The SMTP server sent nothing for {_readTimeout} ms"
            : Late(Volatile.Read(ref _writeSince), _writeTimeout, now) ? $"The SMTP server took no data for {_writeTimeout} ms"
            : null;
        if (late is null) return;
        _timedOut = late;
        // Closing the socket ends the pending read or write at once, with an error turned into a
        // TimeoutException below.
        _socket.Close();
    }

    private bool Late(long since, int timeout, long now) =>
        since != 0 && timeout != Timeout.Infinite && _clock.GetElapsedTime(since, now).TotalMilliseconds >= timeout;

    private Exception TimedOutOr(Exception e) => _timedOut is { } why ? new TimeoutException(why, e) : e;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        Volatile.Write(ref _readSince, _clock.GetTimestamp());
        try
        {
            return _inner.Read(buffer);
        }
        catch (Exception e) when (_timedOut is not null)
        {
            throw TimedOutOr(e);
        }
        finally
        {
            Volatile.Write(ref _readSince, 0);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _readSince, _clock.GetTimestamp());
        try
        {
            return await _inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (_timedOut is not null)
        {
            throw TimedOutOr(e);
        }
        finally
        {
            Volatile.Write(ref _readSince, 0);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Volatile.Write(ref _writeSince, _clock.GetTimestamp());
        try
        {
            _inner.Write(buffer);
        }
        catch (Exception e) when (_timedOut is not null)
        {
            throw TimedOutOr(e);
        }
        finally
        {
            Volatile.Write(ref _writeSince, 0);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _writeSince, _clock.GetTimestamp());
        try
        {
            await _inner.WriteAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (_timedOut is not null)
        {
            throw TimedOutOr(e);
        }
        finally
        {
            Volatile.Write(ref _writeSince, 0);
        }
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _watchdog.Dispose();
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
