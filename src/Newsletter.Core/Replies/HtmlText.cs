using System.Text;
using MimeKit.Text;

namespace Newsletter.Core.Replies;

/// <summary>
/// An HTML-only reply as the lines a reader sees: block elements and line breaks end a line, text in
/// style, script and head is dropped, and a blockquote (how HTML mail quotes) becomes a line starting
/// with '>', so the quoted digest is cut off like a quoted text part.
/// </summary>
public static class HtmlText
{
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
        { "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "ul", "ol", "pre" };

    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase) { "style", "script", "head", "title" };

    public static string Convert(string html)
    {
        var text = new StringBuilder();
        var hidden = 0;
        var tokenizer = new HtmlTokenizer(new StringReader(html)) { DecodeCharacterReferences = true };
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when Hidden.Contains(tag.Name):
                    if (!tag.IsEmptyElement) hidden = Math.Max(0, hidden + (tag.IsEndTag ? -1 : 1));
                    break;
                case HtmlTagToken tag when tag.Name.Equals("blockquote", StringComparison.OrdinalIgnoreCase) && !tag.IsEndTag:
                    text.Append("\n> ");
                    break;
                case HtmlTagToken tag when Blocks.Contains(tag.Name):
                    text.Append('\n');
                    break;
                case HtmlDataToken data when hidden == 0:
                    // Source line breaks inside a paragraph are spaces, as a browser shows them.
                    text.Append(data.Data.Replace("\r", "").Replace('\n', ' ').Replace('\u00A0', ' '));
                    break;
            }
        }
        return text.ToString();
    }
}
