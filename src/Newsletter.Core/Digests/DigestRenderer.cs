using Newsletter.Core.Email;
using Newsletter.Core.Papers;

namespace Newsletter.Core.Digests;

/// <summary>
/// Renders a digest once: the mail's HTML (CSS inlined) and text, holding each subscriber's
/// values only at the slots the templates wrote, and the web view without personal values.
/// </summary>
public sealed class DigestRenderer(TemplateRenderer templates, MailComposer composer)
{
    public async Task<DigestDraft> RenderAsync(DateOnly date, IReadOnlyList<Paper> papers)
    {
        var sender = composer.Sender;
        var views = papers.Select((p, i) => DigestPaperView.From(p, i + 1)).ToList();
        // Made here, after the papers were fetched: nothing in them can hold this marker.
        var marker = PersonalSlots.NewMarker();

        var htmlSlots = PersonalSlots.For(marker);
        var html = InlineCss(await templates.RenderHtmlAsync("email/Digest.cshtml", new DigestModel(sender, date, views, htmlSlots, IsWebView: false)));
        htmlSlots.Verify(html);
        var textSlots = PersonalSlots.For(marker);
        var text = await templates.RenderTextAsync("email/Digest.txt.cshtml", new DigestModel(sender, date, views, textSlots, IsWebView: false));
        textSlots.Verify(text);
        var web = InlineCss(await templates.RenderHtmlAsync("email/Digest.cshtml", new DigestModel(sender, date, views, PersonalSlots.None, IsWebView: true)));
        return new DigestDraft(date, papers, Subject(sender.Name, date, views), html, text, web, marker);
    }

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
