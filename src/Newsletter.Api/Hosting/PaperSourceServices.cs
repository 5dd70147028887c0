using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Newsletter.Core.Options;
using Newsletter.Core.Papers;
using Newsletter.Core.Scheduling;
using Polly;

namespace Newsletter.Api.Hosting;

public static class PaperSourceServices
{
    /// <summary>
    /// The Daily Papers API client behind the standard resilience handler (attempt and total
    /// timeouts, retries with jittered exponential backoff on 5xx, 408, 429 and network errors,
    /// Retry-After honoured, a circuit breaker) around each whole answer, body included, the fetch
    /// before each digest, and the fetch schedule.
    /// </summary>
    public static IServiceCollection AddPaperSources(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HuggingFaceOptions>().BindConfiguration(HuggingFaceOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddHttpClient<DailyPapersClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<HuggingFaceOptions>>().Value;
                http.BaseAddress = new Uri(options.BaseUrl.TrimEnd('/') + "/");
                // The pipeline's timeouts govern; this only has to be longer than all of them.
                http.Timeout = Timeout.InfiniteTimeSpan;
                var site = sp.GetRequiredService<IOptions<NewsletterOptions>>().Value.BaseUrl;
                http.DefaultRequestHeaders.UserAgent.ParseAdd($"DailyPapersNewsletter/1.0 (+{site})");
                http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
            })
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider sp) =>
            {
                var options = sp.GetRequiredService<IOptions<HuggingFaceOptions>>().Value;
                resilience.AttemptTimeout.Timeout = options.AttemptTimeout;
                resilience.TotalRequestTimeout.Timeout = options.TotalTimeout;
                resilience.Retry.MaxRetryAttempts = options.MaxRetries;
                resilience.Retry.Delay = options.RetryDelay;
                resilience.Retry.BackoffType = DelayBackoffType.Exponential;
                resilience.Retry.UseJitter = true;
                resilience.Retry.ShouldRetryAfterHeader = true;
                var sampling = options.AttemptTimeout * 2;
                resilience.CircuitBreaker.SamplingDuration = sampling > TimeSpan.FromSeconds(30) ? sampling : TimeSpan.FromSeconds(30);
            });
        // Added after the resilience handler, so inside it: each attempt reads its whole body.
        services.AddTransient<WholeBodyHandler>();
        services.AddHttpClient<DailyPapersClient>().AddHttpMessageHandler<WholeBodyHandler>();

        services.AddSingleton<PaperFetcher>();
        services.AddSingleton<IBeforeDigestStep, FetchBeforeDigest>();
        services.AddTransient<FetchPapersJob>();
        return services;
    }
}
