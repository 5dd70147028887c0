using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Core.Email;

namespace Newsletter.Api.Pages;

/// <summary>Renders the Razor page templates (templates/pages) into HTML results.</summary>
public sealed class PageRenderer(TemplateRenderer renderer, MailComposer composer)
{
    public SenderInfo Sender => composer.Sender;

    public async Task<ContentHttpResult> RenderAsync<TModel>(string template, TModel model, int status = StatusCodes.Status200OK) =>
        TypedResults.Content(await renderer.RenderHtmlAsync($"pages/{template}.cshtml", model), "text/html; charset=utf-8", null, status);

    public Task<ContentHttpResult> MessageAsync(int status, string heading, string body, string? linkUrl = null, string? linkText = null) =>
        RenderAsync("Message", new MessagePage(Sender, heading, heading, body, linkUrl, linkText), status);
}
