using Newsletter.Core.Privacy;
using Quartz;

namespace Newsletter.Core.Scheduling;

/// <summary>The daily retention sweep (<see cref="Options.PrivacyOptions.Cron"/>).</summary>
[DisallowConcurrentExecution]
public sealed class PrivacyRetentionJob(PrivacyRetention retention) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await retention.RunAsync(cancellationToken);
}
