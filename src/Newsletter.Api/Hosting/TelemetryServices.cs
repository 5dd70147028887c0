using Newsletter.Api.Metrics;
using Newsletter.Core.Subscribers;
using Newsletter.Core.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Newsletter.Api.Hosting;

public static class TelemetryServices
{
    /// <summary>The standard setting read by the OTLP exporter itself; set, the service exports to it.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private const string MailKitOperationCount = "mailkit.net.smtp.client.operation.count";
    private const string MailKitOperationDuration = "mailkit.net.smtp.client.operation.duration";

    /// <summary>
    /// Metrics for Prometheus (the service's counters, ASP.NET Core, HttpClient, MailKit's SMTP
    /// client), always; traces and an OTLP push of both only when an OTLP endpoint is configured, so
    /// a service without one registers no exporter and no tracer: its activities are never created.
    /// </summary>
    public static IServiceCollection AddNewsletterTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<NewsletterMetrics>();
        services.AddSingleton<SubscriberGauge>();

        // MailKit's SMTP meters are process-wide statics: the first call makes them, later ones keep them.
        MailKit.Telemetry.SmtpClient.Configure();
        MailKit.Telemetry.Socket.Configure();

        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("newsletter"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(NewsletterMetrics.MeterName, MailKit.Telemetry.SmtpClient.MeterName, MailKit.Telemetry.Socket.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    // Made with the provider, so the gauge reports from the first scrape on.
                    .AddInstrumentation(sp => sp.GetRequiredService<SubscriberGauge>())
                    // MailKit's per-message instruments would build a tag list for every mail sent; the
                    // per-message counts are the service's own counters above. Its connection and socket
                    // instruments stay.
                    .AddView(MailKitOperationCount, MetricStreamConfiguration.Drop)
                    .AddView(MailKitOperationDuration, MetricStreamConfiguration.Drop)
                    .AddPrometheusExporter();
                if (otlp) metrics.AddOtlpExporter();
            });
        if (otlp)
        {
            // One activity per digest made, digest run and paper fetch, plus HTTP in and out; not
            // MailKit's source, which would add one per message.
            telemetry.WithTracing(tracing => tracing
                .AddSource(NewsletterActivities.SourceName)
                .AddAspNetCoreInstrumentation(options => options.Filter = http => !http.Request.Path.StartsWithSegments(MetricsEndpoints.Path))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }
        return services;
    }
}
