using Microsoft.Extensions.Options;
using Newsletter.Api.Admin;

namespace Newsletter.Api.Metrics;

public static class MetricsEndpoints
{
    public const string Path = "/metrics";

    /// <summary>
    /// The Prometheus text at /metrics, behind the admin key unless Metrics:AllowAnonymous. The
    /// exporter's endpoint is a middleware branch, where endpoint filters do not run, so the key is
    /// checked by the same <see cref="AdminKeyFilter"/> logic in front of it, lockout included.
    /// </summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        var anonymous = app.ServiceProvider.GetRequiredService<IOptions<MetricsOptions>>().Value.AllowAnonymous;
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: anonymous ? null : branch => branch.Use(async (http, next) =>
        {
            var filter = ActivatorUtilities.CreateInstance<AdminKeyFilter>(http.RequestServices);
            if (filter.Refusal(http) is { } refusal) await refusal.ExecuteAsync(http);
            else await next(http);
        }), optionsName: null);
        return app;
    }
}
