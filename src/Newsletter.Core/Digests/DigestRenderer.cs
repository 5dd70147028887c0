using Newsletter.Core.Email;
using Newsletter.Core.Papers;

namespace Newsletter.Core.Digests;

/// <summary>
/// Renders a digest once: the mail's HTML (CSS inlined) and text holding every paper of the pool
/// in its own section, with each reader's values only at the slots the templates wrote; and the
/// web view of the top papers, without personal values. Per reader nothing is rendered again: their
/// mail is assembled from these sections (<see cref="PreEncodedAlternative"/>).
/// </summary>
public sealed class DigestRenderer(TemplateRenderer templates, MailComposer composer)
{
    /// <param name="rising">Papers of earlier days for the Rising section: each rendered once, after the pool's, for readers to choose from.</param>
    public async Task<DigestDraft> RenderAsync(DateOnly date, DigestEdition edition, IReadOnlyList<Paper> pool, int topCount,
        IReadOnlyList<RisingPaper>? rising = null)
    {
        rising ??= [];
        var sender = composer.Sender;
        var weekly = edition == DigestEdition.Weekly;
        var views = pool.Select((p, i) => DigestPaperView.From(p, i + 1)).ToList();
        var risingViews = rising.Select((r, i) => DigestPaperView.From(r.Paper, pool.Count + i + 1) with { RisingNote = RisingNote(r) }).ToList();
        // Made here, after the papers were fetched: nothing in them can hold this marker.
        var marker = PersonalSlots.NewMarker();

        var htmlSlots = PersonalSlots.For(marker);
        var html = await templates.RenderHtmlAsync("email/Digest.cshtml", new DigestModel(sender, date, views, htmlSlots, IsWebView: false, weekly, risingViews));
        htmlSlots.Verify(html);
        var textSlots = PersonalSlots.For(marker);
        var text = await templates.RenderTextAsync("email/Digest.txt.cshtml", new DigestModel(sender, date, views, textSlots, IsWebView: false, weekly, risingViews));
        textSlots.Verify(text);
        var top = views.Take(topCount).ToList();
        var web = await templates.RenderHtmlAsync("email/Digest.cshtml", new DigestModel(sender, date, top, PersonalSlots.None, IsWebView: true, weekly));
        var subject = Subject(sender.Name, date, weekly, top[0].Title, top.Count);
        // The web view is not personal: it shows the day's top, without a Rising section.
        return new DigestDraft(date, edition, [.. pool, .. rising.Select(r => r.Paper)], subject, html, text, web, marker, rising.Count);
    }

    /// <summary>Why a paper is in the Rising section: "Rising: ▲ 40 → 95 since the 27 Nov digest".</summary>
    public static string RisingNote(RisingPaper rising) =>
        $"Rising: ▲ {rising.UpvotesBefore} → {rising.Paper.Upvotes} since the {rising.Since.ToString("d MMM", System.Globalization.CultureInfo.InvariantCulture)} digest";

    /// <summary>The subject of one reader's mail: the date, their first paper, how many more.</summary>
    public static string Subject(string name, DateOnly date, bool weekly, string topTitle, int count)
    {
        // A title holding "=?utf-8?b?...?=" would reach the header as it is, and mail clients decode
        // it: text ingest had cleaned (a line break, a direction override) back in the Subject.
        var top = DigestPaperView.Shorten(topTitle, 90).Replace("=?", "= ?", StringComparison.Ordinal);
        var more = count > 1 ? $" and {count - 1} more" : "";
        return $"{name} {(weekly ? "week to " : "")}{date:yyyy-MM-dd}: {top}{more}";
    }
}
