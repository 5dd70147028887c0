using Microsoft.Extensions.Options;
using Newsletter.Api.Pages;
using Newsletter.Core.Options;

namespace Newsletter.Api.Http;

/// <summary>
/// Refuses, with 403, a form that a browser posted from another site: browsers name the posting
/// page's origin in <c>Origin</c>, and only the public address and the request's own host are this
/// site. A request without <c>Origin</c> passes, since some clients omit it; <c>Origin: null</c>
/// (a sandboxed or privacy-hidden page) does not.
/// </summary>
public sealed class SameOriginFilter(IOptions<NewsletterOptions> options, PageRenderer pages, ILogger<SameOriginFilter> logger) : IEndpointFilter
{
    private readonly Uri _publicBase = new(options.Value.PublicBaseUrl);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var origin = request.Headers.Origin;
        if (origin.Count == 0) return await next(context);
        if (origin.Count == 1 && Uri.TryCreate(origin.ToString(), UriKind.Absolute, out var from)
            && (SameOrigin(from, _publicBase) || (Uri.TryCreate($"{request.Scheme}://{request.Host}", UriKind.Absolute, out var own) && SameOrigin(from, own))))
            return await next(context);

        logger.LogInformation("Refused {Method} {Path} posted from another site, Origin {Origin}", request.Method, request.Path.Value, origin.ToString());
        // The filter guards more than the sign-up form (the erase form too): the page names no form.
        return await pages.MessageAsync(StatusCodes.Status403Forbidden, "Sent from another site",
            "This form was sent from another web site, so nothing was done. Use the form on this site itself.", "/", "Go to the start page");
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
