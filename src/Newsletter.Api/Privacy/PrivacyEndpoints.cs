using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Http;
using Newsletter.Api.Pages;
using Newsletter.Api.Preferences;
using Newsletter.Core.Email;
using Newsletter.Core.Privacy;
using Newsletter.Core.Security;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Privacy;

/// <summary>
/// "Download my data" and "Delete me", behind the reader's preferences link, which is the only
/// credential (no cookie, antiforgery field or Origin on /api/me). The page's GET asks once more and
/// erases nothing, since mail scanners open links; its form's POST is checked for a same-site Origin.
/// </summary>
public static class PrivacyEndpoints
{
    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/me").WithTags("Your data").WithBodyLimit(BodyLimits.Small);
        api.MapGet("/export", Export).WithName("ExportMyData")
            .WithSummary("Everything held about the reader, as a JSON download (token: from their preferences link)")
            .ProducesReaderLinkProblems();
        api.MapPost("/erase", EraseApi).WithName("EraseMe").DisableAntiforgery()
            .WithSummary("Erase the reader: every link of theirs stops working; only a keyed hash of the address is kept")
            .ProducesReaderLinkProblems();

        var page = app.MapGroup("/me").ExcludeFromDescription().WithBodyLimit(BodyLimits.Small).DisableAntiforgery();
        page.MapGet("/erase", ShowErase);
        page.MapPost("/erase", ErasePage).AddEndpointFilter<SameOriginFilter>();
        return app;
    }

    private static async Task<Results<Ok<DataExport>, ProblemHttpResult>> Export(
        string? token, HttpResponse response, ReaderLinks links, ReaderPreferencesService preferences, ReaderExport export,
        TimeProvider clock, CancellationToken ct)
    {
        var (outcome, reader) = await ReaderOfAsync(token, links, ct);
        if (reader is null) return ReaderLinkAnswers.Problem(outcome);
        var view = await preferences.ViewAsync(reader, token!, ct);
        var data = await export.OfAsync(reader.Id, ct);
        if (view is null || data is null) return ReaderLinkAnswers.Problem(ReaderLinkOutcome.Invalid);

        var now = clock.GetUtcNow();
        response.Headers.ContentDisposition = $"attachment; filename=\"my-newsletter-data-{now:yyyy-MM-dd}.json\"";
        // Personal data: no cache on the way keeps a copy.
        response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(DataExport.Of(reader, PreferencesResponse.Of(view), data, now));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> EraseApi(
        string? token, ReaderLinks links, ReaderErasure erasure, CancellationToken ct)
    {
        var (outcome, reader) = await ReaderOfAsync(token, links, ct);
        if (reader is null) return ReaderLinkAnswers.Problem(outcome);
        return await erasure.EraseAsync(reader, ct) ? TypedResults.NoContent() : ReaderLinkAnswers.Problem(ReaderLinkOutcome.Invalid);
    }

    private static async Task<ContentHttpResult> ShowErase(string? token, ReaderLinks links, PageRenderer pages, CancellationToken ct)
    {
        var (outcome, reader) = await ReaderOfAsync(token, links, ct);
        if (reader is null) return await ReaderLinkAnswers.PageAsync(pages, outcome);
        return await pages.RenderAsync("Erase", new ErasePage(pages.Sender, UnsubscribePage.Mask(reader.Email), token!));
    }

    private static async Task<ContentHttpResult> ErasePage(
        string? token, ReaderLinks links, ReaderErasure erasure, PageRenderer pages, CancellationToken ct)
    {
        var (outcome, reader) = await ReaderOfAsync(token, links, ct);
        if (reader is null || !await erasure.EraseAsync(reader, ct))
            return await ReaderLinkAnswers.PageAsync(pages, reader is null ? outcome : ReaderLinkOutcome.Invalid);
        return await pages.MessageAsync(StatusCodes.Status200OK, "Your data is erased",
            "Your address and everything about you are gone; an anonymous record keeps past digests counted, and a keyed fingerprint " +
            "of the address keeps it from being imported again. " +
            "No more digests will come. You are welcome to subscribe again at any time.", "/", "Go to the start page");
    }

    /// <summary>
    /// The reader behind a genuine preferences token. Someone who unsubscribed or bounced still holds
    /// their data here, so their link still exports and erases it; so does a link voided by a sign-up
    /// nobody confirmed yet (a stranger may have typed the address in), or that stranger could lock
    /// them out of their own data. A confirmed new subscription voids the old links for good.
    /// </summary>
    private static async Task<(ReaderLinkOutcome Outcome, Subscriber? Reader)> ReaderOfAsync(string? token, ReaderLinks links, CancellationToken ct)
    {
        var (outcome, reader, _) = await links.ResolveAsync(token, TokenPurpose.Preferences, ct);
        return outcome is ReaderLinkOutcome.Valid or ReaderLinkOutcome.Left
            || (outcome is ReaderLinkOutcome.Replaced && reader?.Status == SubscriberStatus.Pending)
            ? (outcome, reader) : (outcome, null);
    }
}
