using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Core.Digests;
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

    /// <summary>Dates in URLs and bodies are ISO days: yyyy-MM-dd.</summary>
    public static bool TryParseDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    public static string NotADay(string? text) => $"'{text}' is not a date in the form yyyy-MM-dd.";

    /// <summary>A digest's date: a day, not before <see cref="DigestEditions.FirstListDay"/>.</summary>
    public static bool TryParseDigestDay(string? text, out DateOnly day) =>
        TryParseDay(text, out day) && day >= DigestEditions.FirstListDay;

    public static string NotADigestDay(string? text) => TryParseDay(text, out _)
        ? $"'{text}' is before {DigestEditions.FirstListDay:yyyy-MM-dd}, arXiv's first day: no list of papers is that old."
        : NotADay(text);

    public static ProblemHttpResult BadRequest(string detail, string title = "Invalid request") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);
}
