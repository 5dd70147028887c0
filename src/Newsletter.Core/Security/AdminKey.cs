using System.Security.Cryptography;
using System.Text;

namespace Newsletter.Core.Security;

/// <summary>
/// The operator's bearer key. Only its SHA-256 is held, and presented keys are hashed and compared
/// in constant time, so neither a timing nor a database read reveals the key.
/// </summary>
public sealed class AdminKey(byte[] keyHash)
{
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public bool Matches(string? presented) =>
        !string.IsNullOrEmpty(presented) && CryptographicOperations.FixedTimeEquals(Hash(presented), keyHash);
}
