using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Http;
using Newsletter.Core.Bounces;
using Newsletter.Core.Data;
using Newsletter.Core.Replies;

namespace Newsletter.Api.Admin;

/// <summary>
/// What a reply did: <c>action</c> <c>applied</c> (at least one change) or <c>ignored</c> (then <c>reason</c>
/// says why); <c>changes</c> and <c>notUnderstood</c> as the answer mail tells them; <c>answered</c>: an answer went out.
/// </summary>
public sealed record ReplyResultJson(string Action, IReadOnlyList<string> Changes, IReadOnlyList<string> NotUnderstood, string? Reason, bool Answered);

/// <summary>Replies to digests handed in by an MTA (a pipe to curl for reply+*@domain): one message per request.</summary>
public static class ReplyAdminEndpoints
{
    public static RouteGroupBuilder MapReplyAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPost("/replies", Handle).WithBodyLimit(ReplyHandler.MaxBytes).WithName("HandleReply")
            .WithSummary("Hand in one reply to a digest as received; recipient: the envelope address it was delivered to, when the MTA knows it")
            .Accepts<string>(BounceAdminEndpoints.ContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return admin;
    }

    /// <summary>Applies the reader's commands when the reply is genuine (its token, its From); anything else changes nothing.</summary>
    private static async Task<Results<Ok<ReplyResultJson>, ProblemHttpResult>> Handle(
        Stream body, HttpRequest request, ReplyHandler handler, string? recipient, CancellationToken ct)
    {
        if (!BounceAdminEndpoints.IsMessage(request.ContentType))
            return TypedResults.Problem($"Send the reply as it was received, with Content-Type: {BounceAdminEndpoints.ContentType}.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");

        // Read whole (the body limit bounds it) so that it can be checked before MimeKit parses it.
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        var message = ReturnedMailParser.Parse(buffer.GetBuffer(), (int)buffer.Length, out var problem);
        if (message is null) return RequestInfo.BadRequest(problem!, "Not a mail message");

        var outcome = await handler.HandleAsync(message, recipient, ct);
        return TypedResults.Ok(new ReplyResultJson(outcome.Action.ToStored(), outcome.Changes, outcome.NotUnderstood, outcome.Reason, outcome.Answered));
    }
}
