using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Api.Http;
using Newsletter.Api.Pages;
using Newsletter.Core.Email;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Subscriptions;

/// <summary>
/// GET shows a page with a button and changes nothing (mail scanners follow links). POST
/// unsubscribes: it is both that button's target and the RFC 8058 one-click target, so it needs no
/// cookie, no login and no particular body, and it never redirects.
/// </summary>
public static class UnsubscribeEndpoints
{
    public static IEndpointRouteBuilder MapUnsubscribe(this IEndpointRouteBuilder app)
    {
        app.MapGet("/unsubscribe", Show).ExcludeFromDescription();
        app.MapPost("/unsubscribe", Unsubscribe).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private static async Task<ContentHttpResult> Show(string? token, SubscriptionService subscriptions, PageRenderer pages, CancellationToken ct)
    {
        var subscriber = await subscriptions.FindByUnsubscribeTokenAsync(token, ct);
        if (subscriber is null) return await InvalidLink(pages);
        return await pages.RenderAsync("Unsubscribe",
            new UnsubscribePage(pages.Sender, subscriber.Email, token!, SubscriptionService.IsNotReceiving(subscriber)));
    }

    private static async Task<ContentHttpResult> Unsubscribe(
        string? token, HttpContext http, SubscriptionService subscriptions, PageRenderer pages, CancellationToken ct)
    {
        var source = await IsOneClickAsync(http.Request, ct) ? ConsentSource.OneClick : ConsentSource.Page;
        return await subscriptions.UnsubscribeAsync(token, http.Evidence(source), ct) switch
        {
            UnsubscribeOutcome.Invalid => await InvalidLink(pages),
            UnsubscribeOutcome.NewerSignUpWaiting => await pages.MessageAsync(200, "You are not subscribed",
                "This address left the list, and has asked to join again since: that request waits for its Confirm button, in the mail we sent. Nothing is sent to it unless it is confirmed."),
            _ => await pages.MessageAsync(200, "You are unsubscribed",
                "You will receive no more digests. If this was a mistake, you can subscribe again at any time.", "/", "Subscribe again"),
        };
    }

    /// <summary>Mail providers POST <c>List-Unsubscribe=One-Click</c>, url-encoded or multipart; the body is only recorded.</summary>
    private static async Task<bool> IsOneClickAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType) return false;
        try
        {
            var form = await request.ReadFormAsync(ct);
            return string.Equals(form["List-Unsubscribe"], "One-Click", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return false;
        }
    }

    private static Task<ContentHttpResult> InvalidLink(PageRenderer pages) =>
        pages.MessageAsync(400, "This link is not valid",
            "The unsubscribe link is incomplete or was changed. Open the link exactly as it is in the mail, or use the one in another digest.");
}
