using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Newsletter.Api.Hosting;

/// <summary>
/// The OpenAPI description of /api. The document is built from endpoint metadata when it is first
/// asked for, not at start, so it costs the service's start and the sending path nothing.
/// </summary>
public static class ApiDocsServices
{
    public const string DocumentName = "v1";
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddNewsletterApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Newsletter API",
                    Version = DocumentName,
                    Description = "Sign-ups, readers' preferences and feedback, and the operator's /api/admin (bearer admin key). Errors are RFC 9457 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The admin key (Newsletter__AdminApiKey, or the one printed in the log on first start).",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                // The admin key is checked by a filter on the /api/admin group, which the generator cannot see.
                if (context.Description.RelativePath?.StartsWith("api/admin", StringComparison.Ordinal) == true)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
                }
                return Task.CompletedTask;
            });
        });
}
