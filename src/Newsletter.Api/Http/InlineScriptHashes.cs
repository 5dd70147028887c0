using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Newsletter.Api.Http;

/// <summary>
/// Lets a page that may run scripts (<see cref="SecurityHeaders.AllowScriptsFromSelf{TBuilder}"/>)
/// run exactly the inline scripts it was sent with, and no others: its HTML is held back until its
/// end, each inline script's SHA-256 goes into the policy (CSP Level 2 hash sources), and then the
/// page is sent. An injected script has another hash and does not run; no 'unsafe-inline' is needed.
/// </summary>
public static partial class InlineScriptHashes
{
    private const string ItemKey = "Newsletter.InlineScriptHashes";

    /// <summary>Runs <paramref name="next"/> with the answer buffered, and records the hashes of an HTML answer's inline scripts.</summary>
    public static async Task HashInlineScriptsAsync(HttpContext http, Func<Task> next)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next();
        }
        finally
        {
            http.Response.Body = original;
        }
        if (http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
            http.Items[ItemKey] = Hashes(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }

    /// <summary>The <c>'sha256-...'</c> sources recorded for this answer, space-separated (empty when none).</summary>
    public static string SourcesOf(HttpContext http) => http.Items[ItemKey] as string ?? "";

    private static string Hashes(string html) => string.Join(" ", InlineScript().Matches(html)
        .Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups["body"].Value)))}'")
        .Distinct());

    // A script element without src: what the browser hashes is the text between the tags, as sent.
    [GeneratedRegex(@"<script(?![^>]*\bsrc\s*=)[^>]*>(?<body>.*?)</script\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
