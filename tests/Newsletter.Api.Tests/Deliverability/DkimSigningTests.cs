using System.Net;
using System.Net.Http.Json;
using System.Text;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Deliverability;

/// <summary>
/// With DKIM set, every mail arrives with a signature that an independent verifier (dkimpy)
/// accepts over the bytes as received, covering the headers receivers and the contract require.
/// </summary>
public sealed class DkimSigningTests : OwnFolderAndSmtp
{
    private const string Reader = "reader@example.net";
    private static readonly DateOnly SeedDay = new(2026, 5, 20);

    private static readonly string[] AlwaysSigned = ["from", "to", "subject", "date", "message-id", "mime-version", "content-type"];
    private static readonly string[] DigestSigned = ["list-id", "list-unsubscribe", "list-unsubscribe-post"];

    private Dictionary<string, string?> Settings(TestDkimKey key, string domain = "example.org") => new()
    {
        // A parent of From's domain: aligned for DMARC (relaxed), and so accepted.
        ["Newsletter:From"] = "Daily Papers <papers@news.example.org>",
        ["Dkim:Domain"] = domain,
        ["Dkim:Selector"] = "s2026",
        ["Dkim:PrivateKeyPath"] = key.Path,
    };

    [Theory]
    [InlineData("rsa")]
    [InlineData("ed25519")]
    public async Task TheConfirmationAndTheDigestVerifyAsReceived(string algorithm)
    {
        var key = TestDkimKeys.Of(algorithm, Folder.Path);
        await using var app = new NewsletterApp(Smtp, Folder.Path, Settings(key, domain: "Example.ORG"));

        await app.SubscribeAndConfirmAsync(Reader);
        var (status, _, _) = await app.TriggerAsync(SeedDay);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var digest = (await Smtp.WaitForAsync(m => m.To == Reader && m.Message.Headers.Contains("List-Id"))).Raw;
        var confirmation = Smtp.MailTo(Reader).First(m => m.Message.Subject!.Contains("Confirm")).Raw;

        foreach (var (raw, required) in new[] { (confirmation, AlwaysSigned), (digest, AlwaysSigned.Concat(DigestSigned).ToArray()) })
        {
            var verdict = await DkimVerification.VerifyAsync(raw, key.Record, Folder.Path);
            Assert.True(verdict.Verified, $"{verdict.Error}\n{Encoding.UTF8.GetString(raw)}");
            Assert.Equal("s2026._domainkey.example.org.", verdict.AskedName);
            Assert.Equal("relaxed/relaxed", verdict.Tags["c"]);
            Assert.Equal(algorithm == "rsa" ? "rsa-sha256" : "ed25519-sha256", verdict.Tags["a"]);
            Assert.Empty(required.Except(verdict.SignedHeaders));
        }
    }

    [Fact]
    public async Task OneChangedByteInTheBodyOrASignedHeaderFailsVerification()
    {
        var key = TestDkimKeys.Rsa(Folder.Path);
        await using var app = new NewsletterApp(Smtp, Folder.Path, Settings(key));
        await app.SubscribeAndConfirmAsync(Reader);
        await app.TriggerAsync(SeedDay);
        var raw = (await Smtp.WaitForAsync(m => m.To == Reader && m.Message.Headers.Contains("List-Id"))).Raw;
        Assert.True((await DkimVerification.VerifyAsync(raw, key.Record, Folder.Path)).Verified);

        var text = Encoding.ASCII.GetString(raw);
        var body = Tampered(raw, text.IndexOf("arxiv.org/abs/", text.IndexOf("\r\n\r\n", StringComparison.Ordinal), StringComparison.Ordinal));
        var header = Tampered(raw, text.IndexOf("List-Unsubscribe: <", StringComparison.Ordinal) + "List-Unsubscribe: <".Length + 8);

        Assert.False((await DkimVerification.VerifyAsync(body, key.Record, Folder.Path)).Verified);
        Assert.False((await DkimVerification.VerifyAsync(header, key.Record, Folder.Path)).Verified);
        // Another key published under the selector: the signature is not that key's.
        Assert.False((await DkimVerification.VerifyAsync(raw, TestDkimKeys.Rsa(Directory.CreateDirectory(Path.Combine(Folder.Path, "other")).FullName).Record, Folder.Path)).Verified);
    }

    [Fact]
    public async Task WithoutDkimSettingsNothingIsSigned()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path);
        await app.SubscribeAsync(Reader);
        Assert.DoesNotContain(Smtp.MailTo(Reader), m => m.Message.Headers.Contains("DKIM-Signature"));
    }

    [Fact]
    public async Task MailWrittenToThePickupFolderVerifies()
    {
        var key = TestDkimKeys.Ed25519(Folder.Path);
        var outbox = Path.Combine(Folder.Path, "outbox");
        var settings = Settings(key);
        settings["Smtp:Host"] = "";
        settings["Smtp:PickupDirectory"] = outbox;
        await using var app = new NewsletterApp(Smtp, Folder.Path, settings);

        using var client = app.CreatePublicClient();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/subscriptions", new { email = Reader })).StatusCode);
        var file = await WaitForFileAsync(outbox, "*.eml");

        var verdict = await DkimVerification.VerifyAsync(await File.ReadAllBytesAsync(file), key.Record, Folder.Path);
        Assert.True(verdict.Verified, verdict.Error);
    }

    private static byte[] Tampered(byte[] raw, int index)
    {
        Assert.True(index > 0);
        var copy = (byte[])raw.Clone();
        copy[index] = copy[index] == (byte)'x' ? (byte)'y' : (byte)'x';
        return copy;
    }

    private static async Task<string> WaitForFileAsync(string folder, string pattern)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (Directory.Exists(folder) && Directory.GetFiles(folder, pattern).FirstOrDefault() is { } file) return file;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No {pattern} in {folder}.");
            await Task.Delay(50);
        }
    }
}
