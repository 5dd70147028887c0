using System.Globalization;
using Newsletter.Core.Security;

namespace Newsletter.Api.Admin;

/// <summary>
/// Lets a request through only with <c>Authorization: Bearer &lt;admin key&gt;</c>, and only from an
/// address that has not just tried too many wrong keys.
/// </summary>
public sealed class AdminKeyFilter(AppSecrets secrets, AdminKeyGuesses guesses) : IEndpointFilter
{
    private const string Scheme = "Bearer ";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Refusal(context.HttpContext) is { } refusal ? refusal : await next(context);

    /// <summary>The answer to a request without the right key (401, or 429 after too many guesses); null lets it through.</summary>
    public IResult? Refusal(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (guesses.LockedOut(address) is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem($"More than {AdminKeyGuesses.PerMinute} wrong admin keys came from this address within a minute; try again later.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many wrong admin keys");
        }

        var header = http.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
        if (secrets.AdminKey.Matches(presented)) return null;

        // A request without a key is no guess; one with a wrong key is.
        if (!string.IsNullOrEmpty(presented)) guesses.RecordFailure(address);
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem("Send the admin key as 'Authorization: Bearer <key>'.",
            statusCode: StatusCodes.Status401Unauthorized, title: "Missing or wrong admin key");
    }
}
