using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Core.Bounces;
using Newsletter.Core.Options;
using Quartz;

namespace Newsletter.Core.Scheduling;

/// <summary>Reads the bounce mailbox (Bounces:Cron); a mailbox that cannot be read is one warning, and the next run tries again.</summary>
[DisallowConcurrentExecution]
public sealed class ReadBouncesJob(BounceMailbox mailbox, IOptions<BounceOptions> options, ILogger<ReadBouncesJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // A trigger kept in Quartz's store from a run that had a mailbox can still fire after the host is unset.
        if (!options.Value.Imap.Enabled) return;
        try
        {
            await mailbox.ReadAsync(cancellationToken);
        }
        catch (MailboxUnavailableException e)
        {
            logger.LogWarning("Could not read the bounce mailbox {Reason}", e.Message);
        }
    }
}
