using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Core.Bounces;
using Newsletter.Core.Options;
using Quartz;

namespace Newsletter.Core.Scheduling;

/// <summary>
/// Reads the replies' own mailbox (Replies:Imap, at Replies:Cron) as the bounce mailbox is read, with
/// the same marks; without a host of its own, replies are read from the bounce mailbox and this does nothing.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ReadRepliesJob(BounceMailbox mailbox, IOptions<RepliesOptions> options, ILogger<ReadRepliesJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!options.Value.Imap.Enabled) return;
        try
        {
            await mailbox.ReadAsync(options.Value.Imap, cancellationToken);
        }
        catch (MailboxUnavailableException e)
        {
            logger.LogWarning("Could not read the replies mailbox {Reason}", e.Message);
        }
    }
}
