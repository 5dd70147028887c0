using Newsletter.Api.Http;
using Scalar.AspNetCore;

namespace Newsletter.Api.ApiDocs;

/// <summary>The OpenAPI document at /openapi/v1.json and an interactive reference to it at /api/docs.</summary>
public static class ApiDocsEndpoints
{
    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference("/api/docs", options => options
                .WithTitle("Newsletter API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                // Nothing from elsewhere: no web fonts, no telemetry, the script from this service.
                .DisableDefaultFonts()
                .DisableTelemetry())
            .AllowScriptsFromSelf();
        return app;
    }
}
