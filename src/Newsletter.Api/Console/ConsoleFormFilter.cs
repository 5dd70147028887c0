using Microsoft.AspNetCore.Antiforgery;
using Newsletter.Api.Pages;

namespace Newsletter.Api.AdminConsole;

/// <summary>
/// Every console request that changes something must carry the form token of a console page, so
/// another site cannot make the operator's browser post to the console. Checked here, for the
/// console only: the public forms (subscribe, one-click unsubscribe from mail providers) take posts
/// without such a token by design.
/// </summary>
public sealed class ConsoleFormFilter(IAntiforgery antiforgery, PageRenderer pages) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) return await next(context);
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return await pages.MessageAsync(StatusCodes.Status400BadRequest, "Form refused",
                "This form did not come from a console page of this session, so nothing was changed. Go back, reload the page and try again.",
                ConsoleAuth.Path, "Back to the console");
        }
        return await next(context);
    }
}
