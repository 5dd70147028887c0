using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Newsletter.Api.Pages;

namespace Newsletter.Api.Http;

/// <summary>
/// Errors never show a stack trace: problem details (RFC 9457) under /api, a plain page elsewhere.
/// A request refused for what it is (broken framing, a body too large, JSON or a form that cannot
/// be read) is the client's fault, not the service's: it is logged as one Information line.
/// </summary>
public static partial class ErrorPages
{
    private const string RefusalsCategory = "Newsletter.Api.Http.RefusedRequests";

    public static WebApplication UseNewsletterErrorPages(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = WriteServerErrorAsync,
            SuppressDiagnosticsCallback = context => ClientFault(context.Exception) is not null,
        });
        app.UseStatusCodePages(context => WriteStatusAsync(context.HttpContext));
        return app;
    }

    /// <summary>
    /// A validation problem names the fields as the JSON does (the framework's validation names
    /// the C# property, "Email"), and also says in its detail which fields are wrong, as every
    /// other problem says what is wrong.
    /// </summary>
    public static void DescribeValidationErrors(ProblemDetailsContext context)
    {
        if (context.ProblemDetails is not HttpValidationProblemDetails { Errors.Count: > 0 } invalid) return;
        invalid.Errors = invalid.Errors.GroupBy(e => JsonNamingPolicy.CamelCase.ConvertName(e.Key), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).ToArray(), StringComparer.Ordinal);
        invalid.Detail ??= string.Join(" ", invalid.Errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")));
    }

    public static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments("/api");

    public static ValueTask WriteTooManyRequestsAsync(HttpContext http, CancellationToken ct)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = "60";
        return new ValueTask(WriteAsync(http, "Too many requests",
            "This address has made too many subscription requests; try again in a minute."));
    }

    /// <summary>
    /// The status a broken request deserves, or null when the failure is the service's own. Kestrel
    /// reports broken framing as <see cref="BadHttpRequestException"/>, except a chunk size that
    /// overflows, which its chunked-body parser throws as a plain <see cref="IOException"/>.
    /// </summary>
    private static int? ClientFault(Exception failure) => failure switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        IOException io when io.TargetSite?.DeclaringType?.Namespace?.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) == true
            => StatusCodes.Status400BadRequest,
        _ => null,
    };

    private static Task WriteServerErrorAsync(HttpContext http)
    {
        var failure = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (failure is not null && ClientFault(failure) is { } status)
        {
            http.Response.StatusCode = status;
            var detail = RefusalOf(failure, http);
            LogRefusal(http, detail);
            return WriteAsync(http, ReasonOf(status), detail);
        }
        http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return WriteAsync(http, "Something went wrong", "The server could not complete the request. It has been logged.");
    }

    /// <summary>
    /// What was wrong with the request, in its own terms. The binder's messages name the handler's
    /// parameters and .NET types ("Implicit body inferred for parameter...", "could not be converted
    /// to System.Collections.Generic.List`1"): words for the service's developers, not its clients.
    /// </summary>
    private static string RefusalOf(Exception failure, HttpContext http) => failure.InnerException switch
    {
        JsonException { Path: { } path } =>
            $"The body is not valid JSON for this request, or the value at {path} is not of the kind this field takes.",
        JsonException => "The body is not valid JSON for this request.",
        InvalidDataException form => $"The form could not be read: {form.Message}",
        _ when failure is BadHttpRequestException && BoundValue().Match(failure.Message) is { Success: true } value =>
            $"'{Shortened(value.Groups["value"].Value)}' is not a valid {value.Groups["name"].Value}.",
        _ when failure is BadHttpRequestException && IsAboutTheBody(failure.Message) =>
            http.Request.HasFormContentType || !IsApi(http)
                ? "This request takes a form (application/x-www-form-urlencoded), and none could be read from its body."
                : "This request takes a JSON body (application/json), and none was given.",
        _ => failure.Message,
    };

    // The binder's words for a body that is missing or unreadable: 'Required parameter "X" was not
    // provided from body.', 'Implicit body inferred for parameter "X" but no body was provided',
    // 'Failed to read parameter "X" from the request body as form.'
    private static bool IsAboutTheBody(string message) =>
        message.Contains("parameter \"", StringComparison.Ordinal)
        && (message.EndsWith("from body.", StringComparison.Ordinal) || message.Contains("no body was provided", StringComparison.Ordinal)
            || message.Contains("from the request body as", StringComparison.Ordinal));

    // Echoed into the page and the log line: no line breaks or controls (a forged log line), at most 100 characters.
    private static string Shortened(string value)
    {
        var shown = new string(value.Where(c => !char.IsControl(c)).Take(101).ToArray());
        return shown.Length <= 100 ? shown : shown[..100] + "...";
    }

    // The binder's words for a query or route value it could not convert: Failed to bind parameter "int? limit" from "many".
    [System.Text.RegularExpressions.GeneratedRegex("""^Failed to bind parameter "(?:[^"]* )?(?<name>[A-Za-z_][A-Za-z0-9_]*)" from "(?<value>.*)"\.$""",
        System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex BoundValue();

    /// <summary>An error status set without a body: a route that does not exist, or a request the framework refused to bind.</summary>
    private static Task WriteStatusAsync(HttpContext http)
    {
        var status = http.Response.StatusCode;
        var detail = status switch
        {
            StatusCodes.Status404NotFound => "There is nothing at this address.",
            StatusCodes.Status413PayloadTooLarge => http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize is { } limit
                ? $"The body is larger than {limit} bytes, the most this address accepts."
                : "The body is larger than this address accepts.",
            // Binding failures arrive as exceptions (ThrowOnBadRequest); a bare 400 is a body that broke off or is malformed.
            StatusCodes.Status400BadRequest => "The body of the request could not be read: it is malformed or incomplete.",
            _ => "The request could not be handled.",
        };
        if (status != StatusCodes.Status404NotFound) LogRefusal(http, detail);
        return WriteAsync(http, ReasonOf(status), detail);
    }

    private static void LogRefusal(HttpContext http, string detail) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(RefusalsCategory).LogInformation(
            "Refused {Method} {Path} from {Address}: {Status} {Detail}",
            http.Request.Method, http.Request.Path.Value, http.Connection.RemoteIpAddress, http.Response.StatusCode, detail);

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
