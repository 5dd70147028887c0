using System.Text;

namespace Newsletter.Core.Security;

/// <summary>
/// What the suppression list keeps of an erased address: HMAC-SHA256 with the service's signing key
/// over the normalised, lower-cased address, in hex. Keyed, so nobody holding the database alone can
/// test a list of addresses against it; the same address always gives the same hash, so an import or
/// a sign-up can be matched. A new signing key makes earlier hashes match nothing.
/// </summary>
public sealed class AddressHashes(AppSecrets secrets)
{
    public string Of(string normalizedAddress) =>
        Convert.ToHexStringLower(secrets.SigningKey.Mac(Encoding.UTF8.GetBytes(normalizedAddress.ToLowerInvariant())));
}
