namespace Newsletter.Api.Http;

/// <summary>
/// Headers that make every answer safe to show: no answer is content-sniffed into something else,
/// and an HTML page runs no script, loads nothing from elsewhere, posts forms only here, cannot be
/// framed (clickjacking) and sends no Referer to another site, since the links that reach it carry
/// signed tokens. Not "no-referrer": under it browsers post this site's own forms with
/// <c>Origin: null</c>, which the subscribe form must refuse, as any site can make its posts say null.
/// </summary>
public static class SecurityHeaders
{
    private const string PagePolicy =
        "default-src 'none'; style-src 'unsafe-inline' 'self'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors ";

    // The API reference is an application: its script (served from here), which reads the OpenAPI
    // document and sends the "try it" requests to this service only.
    private const string ScriptPolicy =
        "default-src 'none'; connect-src 'self'; font-src 'self' data:; style-src 'unsafe-inline' 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors ";

    // The console's pages: its own script files (the live progress; nothing inline) and frames of its own previews.
    private const string SelfScriptsAndFrames = "; script-src 'self'; connect-src 'self'; frame-src 'self'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            // Set as the answer starts, so error pages written later in the pipeline get them too.
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                {
                    var metadata = http.GetEndpoint()?.Metadata;
                    var framing = metadata?.GetMetadata<FramedBySelf>() is null ? "'none'" : "'self'";
                    var scripts = metadata?.GetMetadata<OwnScriptsAndFrames>() is null ? "" : SelfScriptsAndFrames;
                    headers.ContentSecurityPolicy = metadata?.GetMetadata<ScriptsFromSelf>() is null
                        ? PagePolicy + framing + scripts
                        : $"script-src {string.Join(' ', "'self'", InlineScriptHashes.SourcesOf(http)).TrimEnd()}; {ScriptPolicy}{framing}";
                    headers["Referrer-Policy"] = "same-origin";
                }
                return Task.CompletedTask;
            });
            return http.GetEndpoint()?.Metadata.GetMetadata<ScriptsFromSelf>() is null
                ? next(http)
                : InlineScriptHashes.HashInlineScriptsAsync(http, () => next(http));
        });
        return app;
    }

    /// <summary>This page may be shown in a frame of the service's own pages (the admin preview).</summary>
    public static TBuilder AllowFramingBySelf<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FramedBySelf());

    /// <summary>This page runs scripts, from this service only (the API reference); every other page runs none.</summary>
    public static TBuilder AllowScriptsFromSelf<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ScriptsFromSelf());

    /// <summary>This page runs the service's own script files (the console's live progress; nothing inline) and frames its own pages.</summary>
    public static TBuilder AllowOwnScriptsAndFrames<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OwnScriptsAndFrames());

    private sealed class OwnScriptsAndFrames;

    private sealed class FramedBySelf;

    private sealed class ScriptsFromSelf;
}
