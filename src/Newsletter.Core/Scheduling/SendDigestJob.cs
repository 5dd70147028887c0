using Microsoft.Extensions.Hosting;
using Newsletter.Core.Delivery;
using Quartz;

namespace Newsletter.Core.Scheduling;

/// <summary>Sends one digest. Thin: the work is <see cref="DigestSender"/>'s.</summary>
[DisallowConcurrentExecution]
public sealed class SendDigestJob(DigestSender sender, IHostApplicationLifetime lifetime) : IJob
{
    public const string DigestIdKey = "digestId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var digestId = context.MergedJobDataMap.TryGetValue(DigestIdKey, out var value) && value is not null
            ? long.Parse(value.ToString()!, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"The job has no {DigestIdKey}.");
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        await sender.SendAsync(digestId, stopping.Token);
    }
}
