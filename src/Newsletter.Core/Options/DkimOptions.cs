namespace Newsletter.Core.Options;

/// <summary>DKIM signing of every outgoing mail; unset (no domain) means nothing is signed.</summary>
public sealed class DkimOptions
{
    public const string Section = "Dkim";

    /// <summary>The signing domain (d=); it must be From's domain or a parent of it.</summary>
    public string? Domain { get; set; }

    /// <summary>The selector (s=): the key is published at <c>{Selector}._domainkey.{Domain}</c>.</summary>
    public string? Selector { get; set; }

    /// <summary>PEM file with the private key: RSA of at least 2048 bits, or Ed25519.</summary>
    public string? PrivateKeyPath { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Domain);
}
