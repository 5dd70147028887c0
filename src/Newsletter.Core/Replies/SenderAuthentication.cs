using MimeKit;
using MimeKit.Cryptography;

namespace Newsletter.Core.Replies;

/// <summary>
/// Whether the receiving mail server vouched for a reply's From: its own <c>Authentication-Results</c>
/// header (RFC 8601, named by its authserv-id) says <c>dmarc=pass</c>, or <c>dkim=pass</c> for the From
/// domain or a parent of it. A reply's From is the sender's word alone; a reply address leaks with
/// every forwarded digest, so without this anyone holding one could steer (or stop) the reader.
/// Only the topmost header of that server counts: a sender may add any header below it, and a server
/// that adds its own is expected to remove copies bearing its name (RFC 8601, section 5). A header
/// that cannot be read ends the search with no: skipping it would let a forged one below it count.
/// </summary>
public static class SenderAuthentication
{
    public static bool Vouches(MimeMessage message, string authServId, string fromAddress)
    {
        var domain = fromAddress[(fromAddress.LastIndexOf('@') + 1)..].TrimEnd('.');
        foreach (var header in message.Headers)
        {
            if (header.Id != HeaderId.AuthenticationResults) continue;
            var raw = header.RawValue;
            if (!AuthenticationResults.TryParse(raw, out var results)) return false;
            if (!string.Equals(results.AuthenticationServiceIdentifier, authServId, StringComparison.OrdinalIgnoreCase)) continue;
            return results.Results.Any(r => Passes(r, domain));
        }
        return false;
    }

    private static bool Passes(AuthenticationMethodResult result, string fromDomain)
    {
        if (!string.Equals(result.Result, "pass", StringComparison.OrdinalIgnoreCase)) return false;
        if (string.Equals(result.Method, "dmarc", StringComparison.OrdinalIgnoreCase))
            return Property(result, "header", "from") is { } from && string.Equals(from, fromDomain, StringComparison.OrdinalIgnoreCase);
        return string.Equals(result.Method, "dkim", StringComparison.OrdinalIgnoreCase)
               && Property(result, "header", "d") is { } signer && Aligned(fromDomain, signer);
    }

    // Relaxed alignment: the same domain, or the From domain under the signer's; a signer of one label
    // (a top-level domain: "d=org") vouches for nobody.
    private static bool Aligned(string domain, string parent) =>
        string.Equals(domain, parent, StringComparison.OrdinalIgnoreCase)
        || (parent.Contains('.') && domain.EndsWith("." + parent, StringComparison.OrdinalIgnoreCase));

    private static string? Property(AuthenticationMethodResult result, string type, string name) =>
        result.Properties.FirstOrDefault(p => string.Equals(p.PropertyType, type, StringComparison.OrdinalIgnoreCase)
                                              && string.Equals(p.Property, name, StringComparison.OrdinalIgnoreCase))?.Value?.Trim();
}
