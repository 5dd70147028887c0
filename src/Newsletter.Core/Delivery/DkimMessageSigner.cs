using System.Security.Cryptography;
using System.Text;
using MimeKit;
using Newsletter.Core.Security;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Newsletter.Core.Delivery;

/// <summary>
/// DKIM signatures (RFC 6376), relaxed/relaxed, rsa-sha256 or ed25519-sha256 (RFC 8463), over the
/// bytes MimeKit writes to the wire. Not MimeKit's own DkimSigner: it hashes the body with
/// BouncyCastle's managed SHA-256 (about 215 us per 37 KB here against 22 us for .NET's, which
/// uses the CPU's SHA instructions) and signs RSA with BouncyCastle's arithmetic (about 5 ms against
/// 0.26 ms through .NET, OpenSSL underneath), both in code a subclass cannot replace. Thread-safe:
/// buffers are per thread, and each thread signs with its own RSA instance.
/// </summary>
internal sealed class DkimMessageSigner
{
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    [ThreadStatic] private static MemoryStream? t_body;
    [ThreadStatic] private static byte[]? t_canonical;

    private readonly string _tags;
    private readonly ThreadLocal<RSA>? _rsa;
    private readonly Ed25519PrivateKeyParameters? _ed25519;

    public DkimMessageSigner(DkimKey key, string domain, string selector)
    {
        _tags = $"v=1; a={(key.Type == DkimKeyType.Rsa ? "rsa-sha256" : "ed25519-sha256")}; c=relaxed/relaxed; d={domain}; s={selector}; t=";
        if (key.PrivateKey is Ed25519PrivateKeyParameters ed25519)
        {
            _ed25519 = ed25519;
            return;
        }
        var pem = key.Pem;
        // .NET documents no thread-safety for one RSA instance; one import per sending thread is done once.
        _rsa = new ThreadLocal<RSA>(() =>
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return rsa;
        });
    }

    /// <summary>Inserts the DKIM-Signature header, signing <paramref name="signed"/> (in that order) and the body.</summary>
    public void Sign(MimeMessage message, IReadOnlyList<Header> signed, long unixTime)
    {
        var value = new StringBuilder(_tags.Length + 200);
        value.Append(_tags).Append(unixTime).Append("; h=");
        for (var i = 0; i < signed.Count; i++)
        {
            if (i > 0) value.Append(':');
            value.Append(signed[i].Field);
        }
        value.Append("; bh=").Append(Convert.ToBase64String(BodyHash(message))).Append("; b=");
        var unsigned = value.ToString();
        // Folded by MimeKit as it will be written; relaxed canonicalization makes the folds of this
        // value and of the final one (with b= filled) the same, since the verifier empties b=.
        var dkim = new Header(HeaderId.DkimSignature, unsigned);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var header in signed) AppendRelaxed(hash, header, withLineEnd: true);
        AppendRelaxed(hash, dkim, withLineEnd: false);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);

        dkim.Value = unsigned + Convert.ToBase64String(Signature(digest));
        message.Headers.Insert(0, dkim);
    }

    private byte[] Signature(ReadOnlySpan<byte> digest)
    {
        if (_rsa is not null) return _rsa.Value!.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        // RFC 8463: PureEdDSA over the SHA-256 hash of the canonicalized headers.
        var signer = new Ed25519Signer();
        signer.Init(true, _ed25519);
        signer.BlockUpdate(digest);
        return signer.GenerateSignature();
    }

    private static byte[] BodyHash(MimeMessage message)
    {
        var body = t_body ??= new MemoryStream(64 * 1024);
        body.SetLength(0);
        message.Body?.WriteTo(WireFormat.Options, body, contentOnly: true);
        var raw = body.GetBuffer().AsSpan(0, (int)body.Length);
        // Twice the input: a bare LF becomes CRLF.
        if (t_canonical is null || t_canonical.Length < 2 * raw.Length + 2) t_canonical = new byte[Math.Max(2 * raw.Length + 2, 128 * 1024)];
        var length = RelaxedBody.Canonicalize(raw, t_canonical);
        return SHA256.HashData(t_canonical.AsSpan(0, length));
    }

    /// <summary>RFC 6376 3.4.2: lower-case name, colon, the value unfolded with runs of white space as one space, trimmed.</summary>
    private static void AppendRelaxed(IncrementalHash hash, Header header, bool withLineEnd)
    {
        Span<byte> buffer = stackalloc byte[512];
        var name = header.Field;
        var raw = header.RawValue;
        var output = name.Length + 1 + raw.Length <= buffer.Length ? buffer : new byte[name.Length + 1 + raw.Length];
        var length = 0;
        foreach (var c in name) output[length++] = (byte)char.ToLowerInvariant(c);
        output[length++] = (byte)':';
        var space = false;
        foreach (var b in raw)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                space = length > name.Length + 1;
                continue;
            }
            if (space) output[length++] = (byte)' ';
            space = false;
            output[length++] = b;
        }
        hash.AppendData(output[..length]);
        if (withLineEnd) hash.AppendData(CrLf);
    }
}
