using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using Newsletter.Api.Pages;

namespace Newsletter.Api.Http;

/// <summary>
/// Errors never show a stack trace: problem details (RFC 9457) under /api, a plain page elsewhere.
/// </summary>
public static class ErrorPages
{
    public static WebApplication UseNewsletterErrorPages(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteServerErrorAsync });
        app.UseStatusCodePages(context => WriteStatusAsync(context.HttpContext));
        return app;
    }

    /// <summary>A validation problem also says in its detail which fields are wrong, as every other problem says what is wrong.</summary>
    public static void DescribeValidationErrors(ProblemDetailsContext context)
    {
        if (context.ProblemDetails is HttpValidationProblemDetails { Errors.Count: > 0 } invalid && invalid.Detail is null)
            invalid.Detail = string.Join(" ", invalid.Errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")));
    }

    public static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments("/api");

    public static ValueTask WriteTooManyRequestsAsync(HttpContext http, CancellationToken ct)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = "60";
        return new ValueTask(WriteAsync(http, "Too many requests",
            "This address has made too many subscription requests; try again in a minute."));
    }

    private static Task WriteServerErrorAsync(HttpContext http)
    {
        var failure = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (failure is BadHttpRequestException bad)
        {
            http.Response.StatusCode = bad.StatusCode;
            return WriteAsync(http, ReasonOf(bad.StatusCode), bad.Message);
        }
        http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return WriteAsync(http, "Something went wrong", "The server could not complete the request. It has been logged.");
    }

    private static Task WriteStatusAsync(HttpContext http) =>
        WriteAsync(http, ReasonOf(http.Response.StatusCode), http.Response.StatusCode == 404
            ? "There is nothing at this address."
            : "The request could not be handled.");

    private static async Task WriteAsync(HttpContext http, string title, string detail)
    {
        if (IsApi(http))
        {
            var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = http.Response.StatusCode, Title = title, Detail = detail },
            });
            return;
        }
        var page = await http.RequestServices.GetRequiredService<PageRenderer>()
            .MessageAsync(http.Response.StatusCode, title, detail, "/", "Back to the start page");
        await page.ExecuteAsync(http);
    }

    private static string ReasonOf(int status) =>
        Enum.IsDefined(typeof(HttpStatusCode), status)
            ? System.Text.RegularExpressions.Regex.Replace(((HttpStatusCode)status).ToString(), "(?<=[a-z])(?=[A-Z])", " ")
            : "Error";
}
