using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Newsletter.Api.Http;
using Newsletter.Api.Pages;
using Newsletter.Core.Email;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Preferences;

/// <summary>
/// A reader's preferences behind their signed link: a page with a form, and JSON. The link is the
/// only credential, so these routes ask for no cookie, antiforgery field or Origin.
/// </summary>
public static class PreferencesEndpoints
{
    public static IEndpointRouteBuilder MapPreferences(this IEndpointRouteBuilder app)
    {
        var page = app.MapGroup("/preferences").ExcludeFromDescription().WithBodyLimit(BodyLimits.Small).DisableAntiforgery();
        page.MapGet("", ShowPage);
        page.MapPost("", SavePage).WithFormOptions(valueCountLimit: 32, multipartBodyLengthLimit: BodyLimits.Small);

        var api = app.MapGroup("/api/preferences").WithTags("Preferences").WithBodyLimit(BodyLimits.Small);
        api.MapGet("", Get).WithName("GetPreferences").WithSummary("The reader's preferences and votes (token: from their preferences link)")
            .ProducesReaderLinkProblems();
        // The body is read field by field (PreferencesJson); the record only describes it.
        api.MapPatch("", Patch).WithName("ChangePreferences").WithSummary("Change the given fields only; with any field wrong, none is changed")
            .Accepts<PreferencesPatch>("application/json").ProducesReaderLinkProblems();
        return app;
    }

    private static async Task<ContentHttpResult> ShowPage(
        string? token, ReaderPreferencesService preferences, PageRenderer pages, CancellationToken ct)
    {
        var opened = await preferences.OpenAsync(token, ct);
        return opened.View is { } view ? await RenderAsync(pages, view) : await ReaderLinkAnswers.PageAsync(pages, opened.Outcome);
    }

    /// <summary>Saves the form, or, when the post comes from a vote's own small form, takes that vote back.</summary>
    private static async Task<ContentHttpResult> SavePage(
        string? token, IFormCollection form, ReaderPreferencesService preferences, PageRenderer pages, CancellationToken ct)
    {
        if (form.TryGetValue(PreferencesForm.RemoveVote, out var paper))
        {
            var removed = await preferences.RemoveVoteAsync(token, paper.ToString(), ct);
            return removed.View is { } after ? await RenderAsync(pages, after) : await ReaderLinkAnswers.PageAsync(pages, removed.Outcome);
        }

        var edit = PreferencesForm.Read(form);
        if (!edit.IsValid)
        {
            var current = await preferences.OpenAsync(token, ct);
            return current.View is { } view
                ? await RenderAsync(pages, view, errors: edit.Errors, typed: PreferencesForm.Typed(form))
                : await ReaderLinkAnswers.PageAsync(pages, current.Outcome);
        }
        var saved = await preferences.ChangeAsync(token, edit.Changes, ct);
        return saved.View is { } now ? await RenderAsync(pages, now, saved: true) : await ReaderLinkAnswers.PageAsync(pages, saved.Outcome);
    }

    private static async Task<Results<Ok<PreferencesResponse>, ProblemHttpResult>> Get(
        string? token, ReaderPreferencesService preferences, CancellationToken ct)
    {
        var opened = await preferences.OpenAsync(token, ct);
        return opened.View is { } view ? TypedResults.Ok(PreferencesResponse.Of(view)) : ReaderLinkAnswers.Problem(opened.Outcome);
    }

    /// <summary>Changes the given fields only; with any field wrong, none is changed.</summary>
    private static async Task<Results<Ok<PreferencesResponse>, ValidationProblem, ProblemHttpResult>> Patch(
        string? token, [FromBody] JsonElement body, ReaderPreferencesService preferences, CancellationToken ct)
    {
        var edit = PreferencesJson.ReadPatch(body);
        if (!edit.IsValid)
            return TypedResults.ValidationProblem(edit.Errors, "Nothing was changed. " + edit.Describe(), title: "Invalid preferences");
        var saved = await preferences.ChangeAsync(token, edit.Changes, ct);
        return saved.View is { } view ? TypedResults.Ok(PreferencesResponse.Of(view)) : ReaderLinkAnswers.Problem(saved.Outcome);
    }

    private static Task<ContentHttpResult> RenderAsync(PageRenderer pages, ReaderView view, bool saved = false,
        IDictionary<string, string[]>? errors = null, IReadOnlyDictionary<string, string>? typed = null) =>
        pages.RenderAsync("Preferences",
            new PreferencesPage(pages.Sender.Name, pages.Sender.PostalAddress, view, UnsubscribePage.Mask(view.Reader.Email), saved, errors, typed),
            errors is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
}
