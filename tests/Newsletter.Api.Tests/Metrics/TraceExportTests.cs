using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Api.Tests.Infrastructure;
using OpenTelemetry.Trace;

namespace Newsletter.Api.Tests.Metrics;

/// <summary>Traces leave the service over OTLP only when an endpoint is set.</summary>
public sealed class TraceExportTests : OwnFolderAndSmtp
{
    [Fact]
    public async Task WithAnOtlpEndpointADigestSendReachesTheCollector()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseUrl;
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        // Spans are batched; a short delay keeps the test from waiting the default 5 s.
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "100";
        await using var service = await ServiceProcess.StartAsync(Folder.Path, settings);
        using var admin = service.AdminClient(NewsletterApp.AdminKey);
        var import = await admin.PostAsync("/api/admin/subscribers/import",
            new StringContent("email\ntraced@example.org", System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var papers = await admin.PostAsync("/api/admin/papers",
            new StringContent(JsonSerializer.Serialize(PaperFixtures.Day(new DateOnly(2026, 11, 4), 2)), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, papers.StatusCode);

        var trigger = await admin.PostAsJsonAsync("/api/admin/digests", new { date = "2026-11-04" });
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        await Smtp.WaitForAsync(m => m.To == "traced@example.org");

        await collector.WaitForAsync("/v1/traces", "digest.assemble");
        await collector.WaitForAsync("/v1/traces", "digest.send");
    }

    [Fact]
    public async Task WithoutAnOtlpEndpointNoTracerIsRegistered()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path);
        using var client = app.CreateAdminClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        Assert.Null(app.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task WithAnOtlpEndpointATracerIsRegistered()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        await using var app = new NewsletterApp(Smtp, Folder.Path, new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseUrl });
        using var client = app.CreateAdminClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        Assert.NotNull(app.Services.GetService<TracerProvider>());
    }
}
