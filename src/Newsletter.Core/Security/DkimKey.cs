using System.Security.Cryptography;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Newsletter.Core.Security;

public enum DkimKeyType
{
    Rsa,
    Ed25519,
}

/// <summary>A key a DKIM key file can hold, or cannot: the reason is the message.</summary>
public sealed class DkimKeyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A DKIM private key read from PEM (PKCS#8 "PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY"): RSA of at
/// least <see cref="MinRsaBits"/> bits, or Ed25519. Also makes new ones, and the DNS record of each.
/// </summary>
public sealed class DkimKey
{
    /// <summary>RFC 8301: verifiers may refuse anything shorter; Gmail and Yahoo treat 1024 as weak.</summary>
    public const int MinRsaBits = 2048;

    private DkimKey(AsymmetricKeyParameter privateKey, string pem)
    {
        PrivateKey = privateKey;
        Pem = pem;
    }

    public AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>The key as PEM text, which .NET's RSA (OpenSSL underneath) imports for fast signing.</summary>
    public string Pem { get; }

    public DkimKeyType Type => PrivateKey is Ed25519PrivateKeyParameters ? DkimKeyType.Ed25519 : DkimKeyType.Rsa;

    public DkimSignatureAlgorithm Algorithm =>
        Type == DkimKeyType.Ed25519 ? DkimSignatureAlgorithm.Ed25519Sha256 : DkimSignatureAlgorithm.RsaSha256;

    /// <summary>
    /// The TXT record's value at <c>{selector}._domainkey.{domain}</c>: for RSA the public key as
    /// SubjectPublicKeyInfo (RFC 6376), for Ed25519 the raw 32-byte public key (RFC 8463).
    /// </summary>
    public string DnsRecord => PrivateKey switch
    {
        Ed25519PrivateKeyParameters ed => $"v=DKIM1; k=ed25519; p={Convert.ToBase64String(ed.GeneratePublicKey().GetEncoded())}",
        RsaPrivateCrtKeyParameters rsa => "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(
            SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent)).GetDerEncoded()),
        _ => throw new InvalidOperationException("Not a DKIM key."),
    };

    /// <exception cref="DkimKeyException">The file cannot be read, or holds no usable key.</exception>
    public static DkimKey Load(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new DkimKeyException(e.Message, e);
        }
        return Parse(pem);
    }

    /// <exception cref="DkimKeyException">The text holds no usable key.</exception>
    public static DkimKey Parse(string pem)
    {
        object? read;
        try
        {
            using var reader = new PemReader(new StringReader(pem));
            read = reader.ReadObject();
        }
        catch (Exception e) when (e is IOException or PemException or ArgumentException or InvalidCastException or SecurityUtilityException)
        {
            throw new DkimKeyException($"it is not a readable PEM private key ({e.Message})", e);
        }
        var key = read switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter parameter => parameter,
            null => throw new DkimKeyException("it holds no PEM block (expected \"-----BEGIN PRIVATE KEY-----\")"),
            _ => throw new DkimKeyException($"it holds a {read.GetType().Name}, not a private key"),
        };
        switch (key)
        {
            case Ed25519PrivateKeyParameters:
                return new DkimKey(key, pem);
            case RsaPrivateCrtKeyParameters rsa when rsa.Modulus.BitLength < MinRsaBits:
                throw new DkimKeyException($"it holds a {rsa.Modulus.BitLength}-bit RSA key; DKIM needs at least {MinRsaBits} bits");
            case RsaPrivateCrtKeyParameters:
                return new DkimKey(key, pem);
            default:
                throw new DkimKeyException(key.IsPrivate
                    ? $"it holds a {key.GetType().Name.Replace("PrivateKeyParameters", "")} key; DKIM needs RSA or Ed25519"
                    : "it holds a public key, not a private one");
        }
    }

    /// <summary>A new key: RSA (<paramref name="rsaBits"/> bits) or Ed25519, as PKCS#8 PEM.</summary>
    public static DkimKey Generate(DkimKeyType type, int rsaBits = MinRsaBits)
    {
        if (type == DkimKeyType.Rsa)
        {
            using var rsa = RSA.Create(rsaBits);
            return Parse(rsa.ExportPkcs8PrivateKeyPem());
        }
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var info = PrivateKeyInfoFactory.CreatePrivateKeyInfo(generator.GenerateKeyPair().Private);
        return Parse(PemEncoding.WriteString("PRIVATE KEY", info.GetDerEncoded()));
    }
}
