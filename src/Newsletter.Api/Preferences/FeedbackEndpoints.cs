using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Http;
using Newsletter.Api.Pages;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Preferences;

/// <summary>
/// "More like this" / "Less like this" from the mail. GET shows a page with one button and records
/// nothing, because mail scanners open every link; POST records the vote. Like the unsubscribe link,
/// the signed token is all these routes ask for.
/// </summary>
public static class FeedbackEndpoints
{
    public static IEndpointRouteBuilder MapFeedback(this IEndpointRouteBuilder app)
    {
        var feedback = app.MapGroup("").WithBodyLimit(BodyLimits.Small).DisableAntiforgery();
        feedback.MapGet("/feedback", Show).ExcludeFromDescription();
        feedback.MapPost("/feedback", Record).ExcludeFromDescription();
        feedback.MapPost("/api/feedback", RecordApi).WithTags("Feedback").WithName("RecordFeedback")
            .WithSummary("Record a \"more/less like this\" vote (token: from the mail's link)").ProducesReaderLinkProblems();
        return app;
    }

    private static async Task<ContentHttpResult> Show(string? token, FeedbackService feedback, PageRenderer pages, CancellationToken ct)
    {
        var read = await feedback.ReadAsync(token, ct);
        return read.View is { } view
            ? await pages.RenderAsync("Feedback", new FeedbackPage(pages.Sender.Name, pages.Sender.PostalAddress, view.PaperTitle, view.Vote, token!))
            : await ReaderLinkAnswers.PageAsync(pages, read.Outcome);
    }

    private static async Task<ContentHttpResult> Record(string? token, FeedbackService feedback, PageRenderer pages, CancellationToken ct)
    {
        var recorded = await feedback.RecordAsync(token, ct);
        if (recorded.View is not { } view) return await ReaderLinkAnswers.PageAsync(pages, recorded.Outcome);
        var more = view.Vote > 0;
        var effect = view.RanksByVotes
            ? $"Papers like “{view.PaperTitle}” will now rank {(more ? "higher" : "lower")} in your digests: they are ranked by your {view.VoteCount} votes, blended with everyone's upvotes."
            : $"Papers like “{view.PaperTitle}” will rank {(more ? "higher" : "lower")} in your digests once you have voted on {FeedbackService.VotesForRanking} papers; " +
              $"you have voted on {view.VoteCount} so far. Until then your digest follows everyone's upvotes.";
        return await pages.MessageAsync(StatusCodes.Status200OK, more ? "Thanks: more like this" : "Thanks: less like this",
            effect + " Voting again on the same paper replaces this vote; your preferences page lists your votes and takes them back.",
            pages.Sender.Urls.Preferences(view.PreferencesToken), "Your preferences and votes");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RecordApi(string? token, FeedbackService feedback, CancellationToken ct)
    {
        var recorded = await feedback.RecordAsync(token, ct);
        return recorded.View is not null ? TypedResults.NoContent() : ReaderLinkAnswers.Problem(recorded.Outcome);
    }
}
