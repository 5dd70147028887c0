namespace Newsletter.Api.Http;

/// <summary>
/// How many bytes of body an endpoint reads. The server counts the bytes as they arrive, so a
/// chunked body without a declared length is stopped too; over the limit the answer is 413.
/// </summary>
public static class BodyLimits
{
    /// <summary>A subscription, a digest trigger: a few fields of JSON or a form.</summary>
    public const long Small = 16 * 1024;

    /// <summary>A Daily Papers API payload: a day's list is well under a megabyte.</summary>
    public const long Papers = 20L * 1024 * 1024;

    /// <summary>One returned mail: a bounce carries the original, a digest of some 30 KB, or its headers.</summary>
    public const long ReturnedMail = Newsletter.Core.Bounces.ReturnedMailParser.MaxBytes;

    /// <summary>A subscriber CSV: a million addresses fit.</summary>
    public const long SubscriberCsv = 64L * 1024 * 1024;

    /// <summary>The limit, and the 413 it leads to in the OpenAPI description.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimit(bytes),
            new ProducesResponseTypeMetadata(StatusCodes.Status413PayloadTooLarge, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));

    private sealed record BodyLimit(long? MaxRequestBodySize) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata;
}
