using Newsletter.Core.Options;
using Polly;
using Polly.Retry;

namespace Newsletter.Core.Delivery;

/// <summary>
/// The one retry policy of every send, digests and confirmations alike: a bounded number of tries
/// with exponential, jittered backoff, for failures that may pass (4xx, a dropped connection, a
/// relay that does not answer). A recipient's permanent refusal is never retried.
/// </summary>
public static class SendRetry
{
    public static ResiliencePipeline Create(SmtpOptions options, TimeProvider clock, Func<SendFailure, ValueTask> onRetry) =>
        // One try (Smtp:MaxAttempts=1) is no retry at all: Polly refuses a retry strategy of zero retries.
        options.MaxAttempts == 1 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsWorthRetrying),
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                OnRetry = args => args.Outcome.Exception is { } e ? onRetry(SendFailure.From(e)) : default,
            })
            .Build();

    // Not a recipient's permanent refusal, and not the relay refusing us (MAIL FROM or credentials
    // refused): asking again at once would only be refused again. A failed connect is worth a retry.
    private static bool IsWorthRetrying(Exception e) =>
        SendFailure.From(e) is { Permanent: false } failure && (!failure.RelayUnusable || e is RelayConnectException);
}
