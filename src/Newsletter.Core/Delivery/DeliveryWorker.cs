using Microsoft.Extensions.Logging;
using MimeKit;
using Newsletter.Core.Options;

namespace Newsletter.Core.Delivery;

/// <summary>
/// One SMTP connection's worth of sending: reuses its connection for message after message,
/// retries transient failures with backoff on a fresh connection when the old one broke, and
/// tells apart a recipient's problem from the relay's.
/// </summary>
public sealed class DeliveryWorker(IMailTransport transport, SmtpOptions options, ILogger logger) : IAsyncDisposable
{
    private IMailConnection? _connection;

    /// <summary>Thrown when the relay itself cannot be used (down, refusing us): the send must stop.</summary>
    public sealed class RelayUnavailableException(string reason, Exception inner) : Exception(reason, inner);

    /// <returns>The result to record, or null when stopping left the delivery for a later run.</returns>
    public async Task<DeliveryResult?> DeliverAsync(DueDelivery item, Func<MimeMessage> compose, CancellationToken stopping)
    {
        var message = compose();
        SendFailure? last = null;
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            if (attempt > 1 && !await BackoffAsync(attempt, stopping)) return null;
            try
            {
                var connection = await ConnectedAsync(stopping);
                // Once a message is handed over it is finished, not abandoned half-way, even when
                // stopping: the relay's answer decides whether it counts as sent.
                await connection.SendAsync(message, CancellationToken.None);
                return new DeliveryResult(item.SubscriberId, "sent", attempt, null, false);
            }
            catch (RelayUnavailableException)
            {
                throw;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested || e is not OperationCanceledException)
            {
                last = SendFailure.From(e);
                if (last.Permanent)
                    return new DeliveryResult(item.SubscriberId, "failed", attempt, last.Reason, true);
                if (last.RelayRefusesUs)
                    throw new RelayUnavailableException($"the relay refuses the sender: {last.Reason}", e);
                if (last.ConnectionBroken) await DropConnectionAsync();
                logger.LogDebug("Attempt {Attempt} for subscriber {Id} failed: {Reason}", attempt, item.SubscriberId, last.Reason);
            }
        }
        return new DeliveryResult(item.SubscriberId, "failed", options.MaxAttempts, last?.Reason, false);
    }

    private async Task<IMailConnection> ConnectedAsync(CancellationToken stopping)
    {
        if (_connection is { IsUsable: true }) return _connection;
        await DropConnectionAsync();
        Exception? last = null;
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            if (attempt > 1 && !await BackoffAsync(attempt, stopping)) throw new OperationCanceledException(stopping);
            try
            {
                return _connection = await transport.ConnectAsync(stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                last = e;
                logger.LogWarning("Connecting to the relay failed (attempt {Attempt}): {Reason}", attempt, e.Message);
            }
        }
        throw new RelayUnavailableException($"cannot connect to the relay: {last!.Message}", last);
    }

    /// <returns>False when stopping interrupted the wait.</returns>
    private async Task<bool> BackoffAsync(int attempt, CancellationToken stopping)
    {
        var delay = options.RetryBaseDelay * Math.Pow(2, attempt - 2) * (0.5 + Random.Shared.NextDouble());
        try
        {
            await Task.Delay(delay < options.RetryMaxDelay ? delay : options.RetryMaxDelay, stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is null) return;
        await _connection.DisposeAsync();
        _connection = null;
    }

    public ValueTask DisposeAsync() => new(DropConnectionAsync());
}
