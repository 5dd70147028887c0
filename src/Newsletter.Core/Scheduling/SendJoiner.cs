using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Newsletter.Core.Data;
using Newsletter.Core.Delivery;

namespace Newsletter.Core.Scheduling;

/// <summary>
/// On PostgreSQL, where instances share the database: every <see cref="Look"/> this instance looks
/// for a digest being sent with rows no live instance holds, and joins its send. A digest started
/// by one instance is so sent by all of them within seconds, and rows of an instance that died are
/// taken over when its lease runs out, even if every other instance had finished its own part.
/// </summary>
public sealed class SendJoiner(Db db, DigestSender sender, TimeProvider clock, ILogger<SendJoiner> logger) : BackgroundService
{
    public static readonly TimeSpan Look = TimeSpan.FromSeconds(2);

    private const string Joinable = """
        SELECT g.id FROM digests g
        WHERE g.status = 'sending' AND EXISTS (
            SELECT 1 FROM deliveries d
            WHERE d.digest_id = g.id AND d.status = 'pending' AND (d.due_at IS NULL OR d.due_at <= @now)
              AND (d.claimed_by IS NULL OR NOT EXISTS (
                    SELECT 1 FROM send_instances i WHERE i.id = d.claimed_by AND i.lease_until >= @now)))
        ORDER BY g.id
        """;

    private readonly List<Task> _runs = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using (var connection = await db.OpenAsync(stoppingToken))
                {
                    foreach (var digestId in await connection.QueryAsync<long>(new CommandDefinition(Joinable, new { now = clock.GetUtcNow() }, cancellationToken: stoppingToken)))
                    {
                        // A digest this instance sends already is a no-op for the sender.
                        _runs.RemoveAll(t => t.IsCompleted);
                        _runs.Add(sender.SendAsync(digestId, stoppingToken));
                    }
                }
                await Task.Delay(Look, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning("Looking for a send to join failed: {Reason}", e.Message);
                try { await Task.Delay(Look, clock, stoppingToken); } catch (OperationCanceledException) { break; }
            }
        }
        // The runs end with the stop: each lets its messages in flight finish and be recorded.
        try { await Task.WhenAll(_runs); } catch (Exception) { /* each run logs its own end */ }
    }
}
