namespace Newsletter.Core.Security;

/// <summary>
/// The keys resolved at start by <see cref="Data.StartupTasks"/> (they may live in the database,
/// which exists only after the migrations ran). Reading one before start-up is a programming error.
/// </summary>
public sealed class AppSecrets
{
    private SigningKey? _signingKey;
    private AdminKey? _adminKey;

    public SigningKey SigningKey => _signingKey ?? throw new InvalidOperationException("Secrets are read before start-up finished.");

    public AdminKey AdminKey => _adminKey ?? throw new InvalidOperationException("Secrets are read before start-up finished.");

    public void Set(SigningKey signingKey, AdminKey adminKey) => (_signingKey, _adminKey) = (signingKey, adminKey);
}
