using Microsoft.Extensions.Logging;
using Newsletter.Core.Options;
using Polly;

namespace Newsletter.Core.Delivery;

/// <summary>
/// One SMTP connection's worth of sending: reuses its connection for message after message,
/// retries passing failures through <see cref="SendRetry"/> on a fresh connection when the old one
/// broke, and tells apart a recipient's problem from the relay's.
/// </summary>
public sealed class DeliveryWorker : IAsyncDisposable
{
    private readonly IMailTransport _transport;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;
    private IMailConnection? _connection;

    // One message at a time per worker: the tries of the message being sent.
    private int _attempts;

    public DeliveryWorker(IMailTransport transport, SmtpOptions options, TimeProvider clock, ILogger logger)
    {
        _transport = transport;
        _logger = logger;
        _retry = SendRetry.Create(options, clock, async failure =>
        {
            _logger.LogDebug("A send attempt failed, trying again: {Reason}", failure.Reason);
            if (failure.ConnectionBroken) await DropConnectionAsync();
        });
    }

    /// <returns>The outcome, or null when stopping left the message unsent for a later run.</returns>
    /// <exception cref="RelayUnavailableException">The relay cannot be used at all: the send must stop.</exception>
    public async Task<SendOutcome?> DeliverAsync(OutgoingMail message, CancellationToken stopping)
    {
        _attempts = 0;
        try
        {
            // Static callback with its state passed in: nothing is allocated for the retry wrapper per message.
            await _retry.ExecuteAsync(static (state, ct) => state.Worker.TryOnceAsync(state.Message, ct), (Worker: this, Message: message), stopping);
            return _attempts == 1 ? SendOutcome.SentAtFirstTry : new SendOutcome(SendResult.Sent, _attempts, null);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            var failure = SendFailure.From(e);
            if (failure.RelayUnusable) throw new RelayUnavailableException(RelayReason(e, failure), e);
            return new SendOutcome(failure.Permanent ? SendResult.Rejected : SendResult.Deferred, _attempts, failure.Reason, failure.AtRecipient);
        }
    }

    private async ValueTask TryOnceAsync(OutgoingMail message, CancellationToken ct)
    {
        _attempts++;
        var connection = await ConnectedAsync(ct);
        // Once a message is handed over it is finished, not abandoned half-way, even when
        // stopping: the relay's answer decides whether it counts as sent.
        await connection.SendAsync(message, CancellationToken.None);
    }

    private static string RelayReason(Exception e, SendFailure failure) =>
        e is RelayConnectException ? failure.Reason : $"the relay refuses the sender: {failure.Reason}";

    private async Task<IMailConnection> ConnectedAsync(CancellationToken ct)
    {
        if (_connection is { IsUsable: true }) return _connection;
        await DropConnectionAsync();
        try
        {
            return _connection = await _transport.ConnectAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (e is MailKit.Security.AuthenticationException) throw;
            _logger.LogWarning("Connecting to the relay failed: {Reason}", e.Message);
            throw new RelayConnectException($"cannot connect to the relay: {e.Message}", e);
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
