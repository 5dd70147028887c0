using System.Diagnostics.Metrics;
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
                    .AddView(StreamOf)
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

    // Every instrument's stream, in one view (an instrument that matched two views would be
    // exported twice). MailKit's per-message instruments would build a tag list for every mail
    // sent; the per-message counts are the service's own counters above. Its connection and socket
    // instruments stay.
    //
    // A stream allocates its whole cardinality limit of points up front and keeps it for the life
    // of the process: at OpenTelemetry's default of 2,000 for every stream, the ~35 streams held
    // 5 MB, a third of the live heap in a send (bench/README.md, issue 9). Only the streams tagged
    // with a route (ASP.NET Core's hosting and routing meters: ~100 routes by method and status)
    // keep the default; every other one has a few outcomes or statuses, and 200 leaves room. Past a
    // limit OpenTelemetry counts into one overflow series (otel_metric_overflow="true") rather
    // than losing measurements.
    private static MetricStreamConfiguration? StreamOf(Instrument instrument) =>
        instrument.Name is MailKitOperationCount or MailKitOperationDuration ? MetricStreamConfiguration.Drop
        : instrument.Meter.Name is "Microsoft.AspNetCore.Hosting" or "Microsoft.AspNetCore.Routing" ? null
        : new MetricStreamConfiguration { CardinalityLimit = FewTagsLimit };

    internal const int FewTagsLimit = 200;
}
