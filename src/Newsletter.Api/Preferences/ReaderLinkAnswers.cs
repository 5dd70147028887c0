using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Pages;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Preferences;

/// <summary>What a personal link that cannot be used answers: a page for people, a problem under /api. Nothing was changed.</summary>
public static class ReaderLinkAnswers
{
    public static Task<ContentHttpResult> PageAsync(PageRenderer pages, ReaderLinkOutcome outcome) => outcome switch
    {
        ReaderLinkOutcome.Left => pages.MessageAsync(StatusCodes.Status410Gone, "You are no longer subscribed",
            "This address has left the list, so nothing was changed. Subscribe again to receive the digest and choose what it holds.",
            "/", "Subscribe again"),
        ReaderLinkOutcome.Replaced => pages.MessageAsync(StatusCodes.Status400BadRequest, "This link is no longer valid",
            "It belongs to an earlier subscription of this address, so nothing was changed. Use the links in your latest mail.",
            "/", "Go to the start page"),
        ReaderLinkOutcome.UnknownPaper => pages.MessageAsync(StatusCodes.Status404NotFound, "We do not know this paper",
            "The paper this link names is not in our list, so nothing was recorded.", "/", "Go to the start page"),
        _ => pages.MessageAsync(StatusCodes.Status400BadRequest, "This link is not valid",
            "The link is incomplete or was changed, so nothing was changed. Open it exactly as it is in the mail.", "/", "Go to the start page"),
    };

    /// <summary>The problems of <see cref="Problem"/>, for the OpenAPI description.</summary>
    public static RouteHandlerBuilder ProducesReaderLinkProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status410Gone);

    public static ProblemHttpResult Problem(ReaderLinkOutcome outcome) => outcome switch
    {
        ReaderLinkOutcome.Left => TypedResults.Problem("The subscriber has left the list; nothing was changed.",
            statusCode: StatusCodes.Status410Gone, title: "No longer subscribed"),
        ReaderLinkOutcome.Replaced => TypedResults.Problem("The token belongs to an earlier subscription of this address; nothing was changed.",
            statusCode: StatusCodes.Status400BadRequest, title: "Token no longer valid"),
        ReaderLinkOutcome.UnknownPaper => TypedResults.Problem("The token names a paper that is not known; nothing was recorded.",
            statusCode: StatusCodes.Status404NotFound, title: "Unknown paper"),
        _ => TypedResults.Problem("The token is missing, malformed or altered; nothing was changed.",
            statusCode: StatusCodes.Status400BadRequest, title: "Invalid token"),
    };
}
