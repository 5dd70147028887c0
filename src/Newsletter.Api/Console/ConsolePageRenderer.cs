using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Core.AdminConsole;
using Newsletter.Core.Email;

namespace Newsletter.Api.AdminConsole;

/// <summary>Renders the console's templates (templates/admin), each with a fresh form token.</summary>
public sealed class ConsolePageRenderer(TemplateRenderer renderer, IAntiforgery antiforgery)
{
    public FormToken Token(HttpContext http)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return new FormToken(tokens.FormFieldName, tokens.RequestToken!);
    }

    public ConsoleFrame Frame(HttpContext http, string title, string section) => new(title, section, Token(http));

    public async Task<ContentHttpResult> RenderAsync<TModel>(string template, TModel model, int status = StatusCodes.Status200OK) =>
        TypedResults.Content(await renderer.RenderHtmlAsync($"admin/{template}.cshtml", model), "text/html; charset=utf-8", null, status);

    public Task<ContentHttpResult> MessageAsync(HttpContext http, int status, string heading, string body, string? linkUrl = null, string? linkText = null) =>
        RenderAsync("Message", new ConsoleMessagePage(Frame(http, heading, ""), heading, body, linkUrl, linkText), status);
}
