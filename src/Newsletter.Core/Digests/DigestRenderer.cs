using Microsoft.Extensions.Options;
using Newsletter.Core.Email;
using Newsletter.Core.Options;
using Newsletter.Core.Papers;

namespace Newsletter.Core.Digests;

/// <summary>
/// Renders a digest once: the mail's HTML (CSS inlined) and text with a marker where each
/// subscriber's unsubscribe link goes, and the web view without personal links.
/// </summary>
public sealed class DigestRenderer(TemplateRenderer templates, MailComposer composer, IOptions<NewsletterOptions> options)
{
    /// <summary>Stands where the subscriber's own link goes; plain ASCII, unchanged by HTML encoding or CSS inlining.</summary>
    public const string UnsubscribeMarker = "https://unsubscribe.invalid/__NEWSLETTER_UNSUBSCRIBE__";

    public async Task<DigestDraft> RenderAsync(DateOnly date, IReadOnlyList<Paper> papers)
    {
        var sender = composer.Sender;
        var views = papers.Select((p, i) => DigestPaperView.From(p, i + 1)).ToList();
        var model = new DigestModel(sender, date, views, UnsubscribeMarker, ArchiveUrl(date), IsWebView: false);

        var html = InlineCss(await templates.RenderHtmlAsync("email/Digest.cshtml", model));
        var text = await templates.RenderTextAsync("email/Digest.txt.cshtml", model);
        var web = InlineCss(await templates.RenderHtmlAsync("email/Digest.cshtml", model with { UnsubscribeUrl = "", IsWebView = true }));
        return new DigestDraft(date, papers, Subject(sender.Name, date, views), html, text, web);
    }

    public string ArchiveUrl(DateOnly date) => $"{options.Value.BaseUrl}/digests/{date:yyyy-MM-dd}";

    private static string Subject(string name, DateOnly date, IReadOnlyList<DigestPaperView> papers)
    {
        var top = DigestPaperView.Shorten(papers[0].Title, 90);
        var more = papers.Count > 1 ? $" and {papers.Count - 1} more" : "";
        return $"{name} {date:yyyy-MM-dd}: {top}{more}";
    }

    // Mail clients drop <style> blocks unevenly; inline styles are what they all honour.
    private static string InlineCss(string html) =>
        PreMailer.Net.PreMailer.MoveCssInline(html, removeStyleElements: true, stripIdAndClassAttributes: true, removeComments: true).Html;
}
