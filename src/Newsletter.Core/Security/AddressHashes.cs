using System.Text;

namespace Newsletter.Core.Security;

/// <summary>
/// What the suppression list keeps of an erased address: HMAC-SHA256 with the service's signing key
/// over the normalised, lower-cased address, in hex. Keyed, so a copy of the table alone cannot be
/// tested against a list of addresses (with the key set by Newsletter:SigningKey, not even a copy of
/// the whole database); the same address always gives the same hash, so an import or a sign-up can be
/// matched. A new signing key makes earlier hashes match nothing: keep the key (README, Your data).
/// </summary>
public sealed class AddressHashes(AppSecrets secrets)
{
    public string Of(string normalizedAddress) =>
        Convert.ToHexStringLower(secrets.SigningKey.Mac(Encoding.UTF8.GetBytes(normalizedAddress.ToLowerInvariant())));
}
