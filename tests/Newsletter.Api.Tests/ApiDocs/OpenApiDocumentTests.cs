using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.ApiDocs;

public sealed partial class OpenApiDocumentTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task TheDocumentIsValidOpenApiAndDescribesEveryApiRouteTheServiceMapsAndNoPage()
    {
        var document = await ReadDocumentAsync();

        var described = document.Paths
            .SelectMany(path => path.Value.Operations!.Keys.Select(method => $"{method.Method.ToUpperInvariant()} {path.Key}"))
            .Order().ToList();
        Assert.Equal(ApiRoutesMapped(), described);
        Assert.All(document.Paths.Keys, path => Assert.StartsWith("/api/", path));
    }

    [Fact]
    public async Task AdminOperationsRequireTheBearerSchemeAndPublicOnesDoNot()
    {
        var document = await ReadDocumentAsync();

        var scheme = document.Components!.SecuritySchemes!["Bearer"];
        Assert.Equal(SecuritySchemeType.Http, scheme.Type);
        Assert.Equal("bearer", scheme.Scheme);
        foreach (var (path, operation) in Operations(document))
        {
            var schemes = (operation.Security ?? []).SelectMany(r => r.Keys).Select(k => k.Reference.Id).ToList();
            if (path.StartsWith("/api/admin/", StringComparison.Ordinal))
            {
                Assert.Equal(["Bearer"], schemes);
                Assert.True(operation.Responses!.ContainsKey("401"), $"{path} does not describe its 401");
            }
            else Assert.Empty(schemes);
        }
    }

    [Fact]
    public async Task EveryOperationDescribesItsProblemsItsBodyAndItsAnswer()
    {
        var document = await ReadDocumentAsync();

        foreach (var (path, operation) in Operations(document))
        {
            var problems = operation.Responses!.Where(r => r.Key.StartsWith('4') || r.Key.StartsWith('5')).ToList();
            Assert.True(problems.Count > 0, $"{path} describes no problem");
            Assert.All(problems, r => Assert.True(r.Value.Content!.ContainsKey("application/problem+json"), $"{path} {r.Key} is not a problem"));

            var success = operation.Responses!.Where(r => r.Key.StartsWith('2')).ToList();
            Assert.NotEmpty(success);
            Assert.All(success.Where(r => r.Key != "204"), r => Assert.True(r.Value.Content?.Values.All(c => c.Schema is not null), $"{path} {r.Key} has no schema"));

            // A body the handler reads itself must still be described by what it holds, not as a stream.
            foreach (var media in operation.RequestBody?.Content?.Values ?? [])
            {
                Assert.NotNull(media.Schema);
                var name = (media.Schema as OpenApiSchemaReference)?.Reference.Id;
                Assert.True(name is not ("Stream" or "JsonElement"), $"{path} describes its body as {name}");
            }
        }
    }

    private async Task<OpenApiDocument> ReadDocumentAsync()
    {
        using var client = App.CreatePublicClient();
        var response = await client.GetAsync("/openapi/v1.json");
        response.EnsureSuccessStatusCode();
        var result = await OpenApiDocument.LoadAsync(await response.Content.ReadAsStreamAsync(), "json", new OpenApiReaderSettings());
        Assert.NotNull(result.Document);
        Assert.Empty(result.Diagnostic?.Errors ?? []);
        return result.Document;
    }

    private static IEnumerable<(string Path, OpenApiOperation Operation)> Operations(OpenApiDocument document) =>
        document.Paths.SelectMany(p => p.Value.Operations!.Values.Select(o => (p.Key, o)));

    /// <summary>
    /// Every method and /api route the running service maps, as OpenAPI writes paths (no route
    /// constraints). The reference at /api/docs is the documentation itself, not an operation.
    /// </summary>
    private List<string> ApiRoutesMapped() => App.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Select(e => (Route: "/" + e.RoutePattern.RawText!.TrimStart('/'), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
        .Where(e => e.Route.StartsWith("/api/", StringComparison.Ordinal) && !e.Route.StartsWith("/api/docs", StringComparison.Ordinal))
        .SelectMany(e => e.Methods.Select(m => $"{m} {Constraint().Replace(e.Route, "}").TrimEnd('/')}"))
        .Order().ToList();

    [GeneratedRegex(":[^}]+}")]
    private static partial Regex Constraint();
}
