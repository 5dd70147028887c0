using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace Newsletter.Api.Tests.Deliverability;

/// <summary>A key file and its DNS TXT record, made here rather than by the service's own key code.</summary>
public sealed record TestDkimKey(string Path, string Record);

public static class TestDkimKeys
{
    /// <summary>RSA as PKCS#1 ("RSA PRIVATE KEY"), the form OpenSSL's older tools and many guides produce.</summary>
    public static TestDkimKey Rsa(string folder, int bits = 2048)
    {
        using var rsa = RSA.Create(bits);
        var path = System.IO.Path.Combine(folder, $"dkim-rsa{bits}.pem");
        File.WriteAllText(path, rsa.ExportRSAPrivateKeyPem());
        return new TestDkimKey(path, "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Ed25519 as PKCS#8 ("PRIVATE KEY"); the record holds the raw 32-byte public key (RFC 8463).</summary>
    public static TestDkimKey Ed25519(string folder)
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var path = System.IO.Path.Combine(folder, "dkim-ed25519.pem");
        File.WriteAllText(path, PemEncoding.WriteString("PRIVATE KEY", PrivateKeyInfoFactory.CreatePrivateKeyInfo(pair.Private).GetDerEncoded()));
        return new TestDkimKey(path, "v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(((Ed25519PublicKeyParameters)pair.Public).GetEncoded()));
    }

    public static TestDkimKey Of(string algorithm, string folder) => algorithm == "ed25519" ? Ed25519(folder) : Rsa(folder);
}
