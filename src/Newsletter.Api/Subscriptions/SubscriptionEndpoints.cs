using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Newsletter.Api.Hosting;
using Newsletter.Api.Http;
using Newsletter.Api.Pages;
using Newsletter.Core.Email;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Subscriptions;

/// <summary>A sign-up; the settings are optional and, when given, checked like the reader's own changes.</summary>
public sealed record SubscribeRequest(
    [property: Required] string? Email, List<string?>? Topics = null, string? Frequency = null, string? Weekday = null, int? MaxPapers = null,
    List<string?>? MutedTopics = null, bool? RequireCode = null, int? SendHour = null, string? TimeZone = null)
{
    /// <summary>The settings given; a field left out (or null) keeps what is stored, or the default for a new reader.</summary>
    public PreferenceEdit Preferences()
    {
        var edit = new PreferenceEdit();
        if (Frequency is not null) edit.Frequency(Frequency);
        if (Weekday is not null) edit.Weekday(Weekday);
        if (MaxPapers is not null) edit.MaxPapers(MaxPapers);
        if (Topics is not null) edit.Topics(Topics);
        if (MutedTopics is not null) edit.MutedTopics(MutedTopics);
        if (RequireCode is not null) edit.RequireCode(RequireCode);
        if (SendHour is not null) edit.SendHour(SendHour);
        if (TimeZone is not null) edit.TimeZone(TimeZone);
        return edit;
    }
}

public sealed record SubscribeResponse(string Status);

public static class SubscriptionEndpoints
{
    public static IEndpointRouteBuilder MapSubscriptions(this IEndpointRouteBuilder app)
    {
        var subscribe = app.MapGroup("").RequireRateLimiting(NewsletterServices.SubscribePolicy).WithBodyLimit(BodyLimits.Small);
        subscribe.MapPost("/api/subscriptions", SubscribeApi).WithTags("Subscriptions").WithName("Subscribe")
            .WithSummary("Sign up an address; a confirmation mail follows (same answer for new and known addresses)")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        subscribe.MapPost("/subscribe", SubscribeForm).ExcludeFromDescription()
            // The landing page's form has a field or two; a form of many is no person's.
            .WithFormOptions(valueCountLimit: 32, multipartBodyLengthLimit: BodyLimits.Small)
            // A public form behind no session has no token to check; the Origin check refuses other sites.
            .DisableAntiforgery()
            .AddEndpointFilter<SameOriginFilter>();

        // GET shows a button and changes nothing: security scanners open every link in a mail, and a
        // scanned link must not subscribe an address whose owner never asked (a bot signing up
        // strangers would have them mailed daily). Like /unsubscribe, the POST needs only the token.
        app.MapGet("/subscriptions/confirm", ShowConfirm).ExcludeFromDescription();
        app.MapPost("/subscriptions/confirm", Confirm).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Accepted<SubscribeResponse>, ValidationProblem>> SubscribeApi(
        SubscribeRequest request, HttpContext http, SubscriptionService subscriptions, CancellationToken ct)
    {
        // Every wrong field named at once, the address among them (the service checks it again, as
        // for the form; here only to name it beside the others).
        var preferences = request.Preferences();
        var errors = preferences.Errors;
        if (EmailAddress.Normalize(request.Email, out var addressError) is null) errors[PreferenceFields.Email] = [addressError];
        if (errors.Count > 0) return Invalid(errors);
        var (outcome, invalid) = await subscriptions.SubscribeAsync(request.Email, preferences.Changes, http.Evidence(ConsentSource.Api), ct);
        return outcome == SubscribeOutcome.Accepted
            ? TypedResults.Accepted((string?)null, new SubscribeResponse("pending"))
            : Invalid(new Dictionary<string, string[]> { [PreferenceFields.Email] = [invalid] });
    }

    /// <summary>
    /// The landing page's form. Its <c>website</c> field is a honeypot that people never see: a post
    /// that fills it is a bot's, answered like a success so the bot learns nothing, and dropped.
    /// </summary>
    private static async Task<ContentHttpResult> SubscribeForm(
        [FromForm] string? email, [FromForm] string? website, HttpContext http, SubscriptionService subscriptions, PageRenderer pages,
        ILoggerFactory loggers, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(website))
        {
            loggers.CreateLogger(typeof(SubscriptionEndpoints)).LogInformation("Ignored a subscription from {Address}: the honeypot field was filled", http.Connection.RemoteIpAddress);
            return await CheckYourInbox(pages);
        }
        var (outcome, invalid) = await subscriptions.SubscribeAsync(email, null, http.Evidence(ConsentSource.Form), ct);
        return outcome == SubscribeOutcome.Accepted
            ? await CheckYourInbox(pages)
            : await pages.RenderAsync("Landing", new LandingPage(pages.Sender, invalid), 400);
    }

    private static Task<ContentHttpResult> CheckYourInbox(PageRenderer pages) =>
        pages.MessageAsync(200, "Check your inbox",
            "If the address can receive mail, a message with a confirmation link is on its way. Nothing is sent to you until you follow it.");

    private static async Task<ContentHttpResult> ShowConfirm(string? token, SubscriptionService subscriptions, PageRenderer pages, CancellationToken ct) =>
        await subscriptions.CheckConfirmAsync(token, ct) switch
        {
            ConfirmOutcome.Pending => await pages.RenderAsync("ConfirmSubscription", new ConfirmPage(pages.Sender, token!)),
            ConfirmOutcome.AlreadyConfirmed => await pages.MessageAsync(200, "You are subscribed",
                "This address is already confirmed. Every digest links to your preferences and to a one-click unsubscribe."),
            var outcome => await ConfirmProblem(outcome, pages),
        };

    private static async Task<ContentHttpResult> Confirm(
        string? token, HttpContext http, SubscriptionService subscriptions, PageRenderer pages, CancellationToken ct)
    {
        var confirmed = await subscriptions.ConfirmAsync(token, http.Evidence(ConsentSource.Form), ct);
        return confirmed.Outcome switch
        {
            ConfirmOutcome.Confirmed or ConfirmOutcome.AlreadyConfirmed when confirmed.PreferencesToken is { } preferences =>
                await pages.MessageAsync(200, "You are subscribed",
                    "Your address is confirmed. The day's trending papers will arrive every morning; every mail has a link to leave in one click. " +
                    "Choose how often, how many papers and which topics on your own preferences page; every digest links to it too.",
                    pages.Sender.Urls.Preferences(preferences), "Your preferences"),
            ConfirmOutcome.Confirmed or ConfirmOutcome.AlreadyConfirmed => await pages.MessageAsync(200, "You are subscribed",
                "Your address is confirmed. The day's trending papers will arrive every morning; every mail has a link to leave in one click."),
            var outcome => await ConfirmProblem(outcome, pages),
        };
    }

    private static Task<ContentHttpResult> ConfirmProblem(ConfirmOutcome outcome, PageRenderer pages) =>
        outcome switch
        {
            ConfirmOutcome.Expired => pages.MessageAsync(400, "This link has expired",
                "Confirmation links are valid for a limited time. Subscribe again to get a fresh one.", "/", "Subscribe again"),
            ConfirmOutcome.NoLongerValid => pages.MessageAsync(400, "This link is no longer valid",
                "This address left the list after the link was sent. Subscribe again to receive the digest.", "/", "Subscribe again"),
            _ => pages.MessageAsync(400, "This link is not valid",
                "The confirmation link is incomplete or was changed. Open the link exactly as it is in the mail.", "/", "Go to the start page"),
        };

    private static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "Invalid subscription request");
}
