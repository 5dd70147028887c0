using System.Diagnostics;
using System.Text.RegularExpressions;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Deliverability;

/// <summary>
/// <c>dkim-keygen</c>, run as an operator runs it: the key it prints signs mail that verifies
/// against the TXT record it prints.
/// </summary>
public sealed partial class DkimKeygenTests : OwnFolderAndSmtp
{
    [Theory]
    [InlineData(null, "k=rsa")]
    [InlineData("ed25519", "k=ed25519")]
    public async Task ThePrintedKeySignsMailThatThePrintedRecordVerifies(string? algorithm, string keyType)
    {
        string[] args = ["--domain", "example.org", "--selector", "k1", .. algorithm is null ? Array.Empty<string>() : ["--algorithm", algorithm]];
        var (exit, output, _) = await RunAsync(args);
        Assert.Equal(0, exit);

        var pem = Pem().Match(output);
        Assert.True(pem.Success, output);
        var record = Record().Match(output);
        Assert.True(record.Success, output);
        Assert.Contains(keyType, record.Groups[1].Value);
        var keyFile = Path.Combine(Folder.Path, "k1.pem");
        await File.WriteAllTextAsync(keyFile, pem.Value);
        Assert.Contains("Dkim__PrivateKeyPath", output);

        await using var app = new NewsletterApp(Smtp, Folder.Path, new Dictionary<string, string?>
        {
            ["Newsletter:From"] = "Daily Papers <papers@example.org>",
            ["Dkim:Domain"] = "example.org",
            ["Dkim:Selector"] = "k1",
            ["Dkim:PrivateKeyPath"] = keyFile,
        });
        await app.SubscribeAsync("someone@example.net");
        var verdict = await DkimVerification.VerifyAsync(Smtp.MailTo("someone@example.net")[0].Raw, record.Groups[1].Value, Folder.Path);
        Assert.True(verdict.Verified, verdict.Error);
        Assert.Equal("k1._domainkey.example.org.", verdict.AskedName);
    }

    [Theory]
    [InlineData("--domain", "example.org")]
    [InlineData("--selector", "k1")]
    [InlineData("--domain", "example.org", "--selector", "k1", "--algorithm", "dsa")]
    public async Task WithoutDomainOrSelectorItPrintsUsageAndExits2(params string[] args)
    {
        var (exit, output, errors) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("usage: dkim-keygen --domain", Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Newsletter.Api.dll"), "dkim-keygen", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await errors);
    }

    [GeneratedRegex(@"-----BEGIN PRIVATE KEY-----[A-Za-z0-9+/=\s]+-----END PRIVATE KEY-----")]
    private static partial Regex Pem();

    [GeneratedRegex(@"^k1\._domainkey\.example\.org IN TXT ""(v=DKIM1; [^""]+)""$", RegexOptions.Multiline)]
    private static partial Regex Record();
}
