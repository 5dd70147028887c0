using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;
using Newsletter.Core.Digests;
using Newsletter.Core.Email;

namespace Newsletter.Api.Archive;

/// <summary>
/// The archive as an Atom 1.0 feed (RFC 4287). Paper titles are outside data: written through
/// <see cref="XmlWriter"/>, which escapes them, after the characters XML cannot hold at all (controls,
/// lone surrogates, U+FFFE/U+FFFF) are dropped, since no escaping makes those well-formed.
/// </summary>
public static class AtomFeed
{
    public const string ContentType = "application/atom+xml; charset=utf-8";
    public const int Entries = 30;

    private const string Atom = "http://www.w3.org/2005/Atom";

    public static byte[] Write(IReadOnlyList<ArchivedDigest> digests, PublicUrls urls, SenderInfo sender, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", Atom);
            xml.WriteElementString("id", Atom, urls.Base + "/digests");
            xml.WriteElementString("title", Atom, Clean($"{sender.Name}: trending papers"));
            xml.WriteElementString("subtitle", Atom, "The daily digest of the most upvoted papers on Hugging Face Daily Papers.");
            // A feed with no entry yet was still "updated" at some instant; now is the honest one.
            xml.WriteElementString("updated", Atom, Timestamp(digests.Count > 0 ? digests.Max(d => d.Updated) : now));
            Link(xml, "self", urls.Base + "/digests.atom", "application/atom+xml");
            Link(xml, "alternate", urls.Base + "/digests", "text/html");
            xml.WriteStartElement("author", Atom);
            xml.WriteElementString("name", Atom, Clean(sender.Name));
            xml.WriteEndElement();
            foreach (var digest in digests) Entry(xml, digest, urls);
            xml.WriteEndElement();
        }
        return buffer.ToArray();
    }

    private static void Entry(XmlWriter xml, ArchivedDigest digest, PublicUrls urls)
    {
        var url = urls.Archive(digest.Date);
        xml.WriteStartElement("entry", Atom);
        // The web view's address is stable and unique per daily digest: a permanent id.
        xml.WriteElementString("id", Atom, url);
        xml.WriteElementString("title", Atom, Clean(digest.Subject));
        xml.WriteElementString("updated", Atom, Timestamp(digest.Updated));
        Link(xml, "alternate", url, "text/html");
        xml.WriteStartElement("summary", Atom);
        xml.WriteAttributeString("type", "text");
        xml.WriteString(Clean(string.Join("\n", digest.Papers.Select(p => $"{p.Position}. {p.Title} ({p.Upvotes} upvotes)"))));
        xml.WriteEndElement();
        xml.WriteStartElement("content", Atom);
        xml.WriteAttributeString("type", "html");
        xml.WriteString(Clean(Html(digest)));
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>The papers as a list of links; HTML-encoded here, then escaped again by the writer as Atom's html content requires.</summary>
    private static string Html(ArchivedDigest digest)
    {
        var html = new StringBuilder("<ol>");
        foreach (var paper in digest.Papers)
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{WebUtility.HtmlEncode(PaperLink.UrlOf(paper.PaperId))}\">{WebUtility.HtmlEncode(paper.Title)}</a> ({paper.Upvotes} upvotes)</li>");
        return html.Append("</ol>").ToString();
    }

    private static void Link(XmlWriter xml, string rel, string href, string type)
    {
        xml.WriteStartElement("link", Atom);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    private static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The text without the characters XML 1.0 forbids; a valid surrogate pair is kept whole.</summary>
    public static string Clean(string text)
    {
        if (text.All(c => XmlConvert.IsXmlChar(c))) return text;
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i])) kept.Append(text[i]);
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i])) kept.Append(text, i++, 2);
        }
        return kept.ToString();
    }
}
