using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Newsletter.Api.Hosting;

/// <summary>
/// /health as JSON: the overall status, then each check (database, scheduler) with its status,
/// description and data. 200 while the database answers, 503 when it does not.
/// </summary>
public static class HealthReportJson
{
    public static HealthCheckOptions Options => new()
    {
        ResponseWriter = WriteAsync,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        var body = new Dictionary<string, object?> { ["status"] = report.Status.ToString() };
        foreach (var (name, entry) in report.Entries)
        {
            var part = new Dictionary<string, object?> { ["status"] = entry.Status.ToString(), ["description"] = entry.Description };
            foreach (var (key, value) in entry.Data) part[key] = value;
            body[name] = part;
        }
        return http.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
