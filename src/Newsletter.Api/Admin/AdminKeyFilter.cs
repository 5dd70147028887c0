using Newsletter.Core.Security;

namespace Newsletter.Api.Admin;

/// <summary>Lets a request through only with <c>Authorization: Bearer &lt;admin key&gt;</c>.</summary>
public sealed class AdminKeyFilter(AppSecrets secrets) : IEndpointFilter
{
    private const string Scheme = "Bearer ";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
        if (secrets.AdminKey.Matches(presented)) return await next(context);

        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem("Send the admin key as 'Authorization: Bearer <key>'.",
            statusCode: StatusCodes.Status401Unauthorized, title: "Missing or wrong admin key");
    }
}
