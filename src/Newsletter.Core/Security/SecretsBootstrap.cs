using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Core.Data;
using Newsletter.Core.Options;

namespace Newsletter.Core.Security;

/// <summary>
/// Resolves the signing key and the admin key at start: from settings when given, else generated
/// once and stored, so links in mail already sent keep working after a restart.
/// </summary>
public sealed class SecretsBootstrap(SettingsStore settings, IOptions<NewsletterOptions> options, ILogger<SecretsBootstrap> logger)
{
    private const string SigningKeySetting = "signing_key";
    private const string AdminKeyHashSetting = "admin_api_key_sha256";

    public async Task<SigningKey> LoadSigningKeyAsync(CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(options.Value.SigningKey))
            return new SigningKey(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(options.Value.SigningKey)));

        var (stored, _) = await settings.GetOrAddAsync(SigningKeySetting,
            () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ct);
        return new SigningKey(Convert.FromBase64String(stored));
    }

    public async Task<AdminKey> LoadAdminKeyAsync(CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(options.Value.AdminApiKey))
            return new AdminKey(AdminKey.Hash(options.Value.AdminApiKey));

        var generated = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var (hash, created) = await settings.GetOrAddAsync(AdminKeyHashSetting,
            () => Convert.ToBase64String(AdminKey.Hash(generated)), ct);
        if (created)
        {
            // Shown this once: only its hash is stored. Set Newsletter__AdminApiKey to choose your own.
            logger.LogWarning("Generated admin API key (shown once, store it now): {AdminApiKey}", generated);
        }
        return new AdminKey(Convert.FromBase64String(hash));
    }
}
