using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Http;
using Newsletter.Core.Bounces;
using Newsletter.Core.Data;

namespace Newsletter.Api.Admin;

/// <summary>What a returned mail did: <c>hard</c>, <c>soft</c>, <c>complaint</c> or <c>ignored</c>, and whose address it was about.</summary>
public sealed record BounceResultJson(string Action, string? Email);

/// <summary>Returned mail handed in by an MTA (a pipe to curl) or an operator: one message per request.</summary>
public static class BounceAdminEndpoints
{
    public const string ContentType = "message/rfc822";

    public static RouteGroupBuilder MapBounceAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPost("/bounces", Handle).WithBodyLimit(BodyLimits.ReturnedMail).WithName("HandleReturnedMail")
            .WithSummary("Hand in one returned mail as received: a bounce, a delivery status report or a complaint report")
            .Accepts<string>(ContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return admin;
    }

    /// <summary>
    /// Classifies the mail and applies it: hard bounces and repeated soft ones mark the subscriber
    /// bounced, a complaint unsubscribes them; anything else changes nothing.
    /// </summary>
    private static async Task<Results<Ok<BounceResultJson>, ProblemHttpResult>> Handle(
        Stream body, HttpRequest request, IReturnedMailHandler handler, CancellationToken ct)
    {
        if (!IsMessage(request.ContentType))
            return TypedResults.Problem($"Send the returned mail as it was received, with Content-Type: {ContentType}.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");

        // Read whole (the body limit bounds it) so that it can be checked before MimeKit parses it.
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        var message = ReturnedMailParser.Parse(buffer.GetBuffer(), (int)buffer.Length, out var problem);
        if (message is null) return RequestInfo.BadRequest(problem!, "Not a mail message");

        var result = await handler.HandleAsync(message, ct);
        return TypedResults.Ok(new BounceResultJson(result.Action.ToStored(), result.Email));
    }

    internal static bool IsMessage(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals(ContentType, StringComparison.OrdinalIgnoreCase);
}
