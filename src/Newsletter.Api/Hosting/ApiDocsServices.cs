using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ModelBinding;
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
            options.AddOperationTransformer(DescribeBodiesReadByHandlers);
        });

    /// <summary>
    /// A handler that reads its body itself (a <see cref="Stream"/>, a <see cref="System.Text.Json.JsonElement"/>)
    /// declares what it expects with <c>Accepts&lt;T&gt;()</c>; the generator would describe the parameter's
    /// type instead, so the declared type's schema replaces it.
    /// </summary>
    private static async Task DescribeBodiesReadByHandlers(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var declared = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAcceptsMetadata>().LastOrDefault()?.RequestType;
        var body = context.Description.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body);
        if (declared is null || body is null || body.Type == declared || operation.RequestBody?.Content is not { } content) return;
        var schema = await context.GetOrCreateSchemaAsync(declared, null, ct);
        foreach (var media in content.Values) media.Schema = schema;
    }
}
