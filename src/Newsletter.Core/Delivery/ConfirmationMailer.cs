using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Core.Email;
using Newsletter.Core.Options;
using Newsletter.Core.Security;

namespace Newsletter.Core.Delivery;

/// <summary>
/// Sends the double opt-in mails in the background, so the HTTP answer neither waits for the
/// relay nor reveals by its timing whether an address was known. Requests survive a restart: they
/// are rows in the subscriber table until a mail has gone out for them.
/// </summary>
public sealed class ConfirmationMailer(
    ConfirmationStore store,
    ConfirmationSignal signal,
    IMailTransport transport,
    SubscriberTokens tokens,
    MailComposer composer,
    TimeProvider clock,
    IOptions<NewsletterOptions> options,
    ILogger<ConfirmationMailer> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
                await signal.WaitAsync(Poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Sending confirmation mails failed; trying again in {Delay}", Poll);
                try { await Task.Delay(Poll, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task SendDueAsync(CancellationToken ct)
    {
        var due = await store.DueAsync(100, ct);
        if (due.Count == 0) return;

        await using var connection = await transport.ConnectAsync(ct);
        foreach (var subscriber in due)
        {
            var message = await ComposeAsync(subscriber);
            try
            {
                await connection.SendAsync(message, ct);
                await store.MarkSentAsync(subscriber, clock.GetUtcNow(), ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && SendFailure.From(e) is { Permanent: true } failure)
            {
                logger.LogWarning("Confirmation to subscriber {Id} rejected: {Reason}", subscriber.Id, failure.Reason);
                await store.MarkBouncedAsync(subscriber.Id, failure.Reason, clock.GetUtcNow(), ct);
            }
        }
        logger.LogInformation("Sent {Count} confirmation mail(s)", due.Count);
    }

    private async Task<MimeMessage> ComposeAsync(ConfirmationStore.Due subscriber)
    {
        var lifetime = options.Value.ConfirmationLinkLifetime;
        var token = tokens.CreateConfirm(subscriber.Id, subscriber.ConsentVersion, clock.GetUtcNow() + lifetime);
        var model = new ConfirmationModel(composer.Sender, subscriber.Email,
            $"{options.Value.BaseUrl}/subscriptions/confirm?token={token}", (int)Math.Round(lifetime.TotalDays));
        return await composer.ComposeAsync(subscriber.Email, $"Confirm your subscription to {composer.Sender.Name}",
            "email/Confirm.cshtml", "email/Confirm.txt.cshtml", model);
    }
}
