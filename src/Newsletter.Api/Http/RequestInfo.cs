using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Http;

public static class RequestInfo
{
    private const int MaxUserAgent = 512;

    /// <summary>Who asked: kept as evidence of consent.</summary>
    public static ConsentEvidence Evidence(this HttpContext http, ConsentSource source)
    {
        var agent = http.Request.Headers.UserAgent.ToString();
        return new ConsentEvidence(source, http.Connection.RemoteIpAddress?.ToString(),
            agent.Length > MaxUserAgent ? agent[..MaxUserAgent] : agent.Length == 0 ? null : agent);
    }

    /// <summary>
    /// Reads the body, refusing more than <paramref name="maxBytes"/> whether or not the client
    /// announced its length (a chunked body is counted as it arrives).
    /// </summary>
    public static async Task<(byte[]? Body, string? Error)> ReadBodyAsync(this HttpRequest request, long maxBytes, CancellationToken ct)
    {
        var tooLarge = $"The body is larger than {maxBytes} bytes.";
        if (request.ContentLength > maxBytes) return (null, tooLarge);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) return (null, tooLarge);
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), null);
    }

    /// <summary>
    /// Reads a JSON body of at most <paramref name="maxBytes"/>; on failure says why in words a
    /// client can act on, and nothing has been done. With <paramref name="optional"/> an empty
    /// body is no error: the value is then null.
    /// </summary>
    public static async Task<(T? Value, string? Error)> ReadJsonAsync<T>(this HttpRequest request, long maxBytes, CancellationToken ct, bool optional = false)
        where T : class
    {
        var (body, error) = await request.ReadBodyAsync(maxBytes, ct);
        if (body is null) return (null, error);
        if (body.Length == 0) return optional ? (null, null) : (null, "The body is empty; a JSON object is expected.");
        try
        {
            var value = JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web);
            return value is null ? (null, "The body is JSON null; a JSON object is expected.") : (value, null);
        }
        catch (JsonException e)
        {
            return (null, $"The body is not valid JSON for this request: {e.Message}");
        }
    }

    /// <summary>Dates in URLs and bodies are ISO days: yyyy-MM-dd.</summary>
    public static bool TryParseDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    public static string NotADay(string? text) => $"'{text}' is not a date in the form yyyy-MM-dd.";

    public static ProblemHttpResult BadRequest(string detail, string title = "Invalid request") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);
}
