using System.Text.Json;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Http;

public static class RequestInfo
{
    private const int MaxUserAgent = 512;

    /// <summary>Who asked: kept as evidence of consent.</summary>
    public static ConsentEvidence Evidence(this HttpContext http, string source)
    {
        var agent = http.Request.Headers.UserAgent.ToString();
        return new ConsentEvidence(source, http.Connection.RemoteIpAddress?.ToString(),
            agent.Length > MaxUserAgent ? agent[..MaxUserAgent] : agent.Length == 0 ? null : agent);
    }

    /// <summary>
    /// Reads a JSON body of at most <paramref name="maxBytes"/>; on failure says why in words a
    /// client can act on, and nothing has been done.
    /// </summary>
    public static async Task<(T? Value, string? Error)> ReadJsonAsync<T>(this HttpRequest request, long maxBytes, CancellationToken ct)
        where T : class
    {
        if (request.ContentLength > maxBytes) return (null, $"The body is larger than {maxBytes} bytes.");
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) return (null, $"The body is larger than {maxBytes} bytes.");
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return (null, "The body is empty; a JSON object is expected.");
        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), JsonSerializerOptions.Web);
            return value is null ? (null, "The body is JSON null; a JSON object is expected.") : (value, null);
        }
        catch (JsonException e)
        {
            return (null, $"The body is not valid JSON for this request: {e.Message}");
        }
    }
}
