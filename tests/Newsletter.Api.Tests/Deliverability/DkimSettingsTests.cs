using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Deliverability;

/// <summary>DKIM settings that cannot work stop the service at start with one line naming the key.</summary>
public sealed class DkimSettingsTests : OwnFolderAndSmtp
{
    private const string From = "Daily Papers <papers@news.example.org>";

    public static TheoryData<string, string> Broken => new()
    {
        // A suffix of the From domain that is not a parent of it does not align.
        { "domain=ample.org", "Dkim:Domain 'ample.org' does not align with the From domain 'news.example.org'" },
        { "domain=example.com", "Dkim:Domain 'example.com' does not align" },
        { "key=missing", "Dkim:PrivateKeyPath '{folder}/missing.pem' cannot be read" },
        { "key=rsa1024", "1024-bit RSA key; DKIM needs at least 2048 bits" },
        { "key=garbage", "Dkim:PrivateKeyPath '{folder}/garbage.pem' cannot be read" },
        { "key=public", "Dkim:PrivateKeyPath '{folder}/public.pem' cannot be read" },
        { "selector=", "Dkim:Selector is required" },
        { "domain=", "Dkim:Domain is not set" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task ABrokenDkimSettingStopsTheStartWithOneLine(string change, string expected)
    {
        var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
        settings["Newsletter:From"] = From;
        settings["Dkim:Domain"] = "example.org";
        settings["Dkim:Selector"] = "s2026";
        settings["Dkim:PrivateKeyPath"] = TestDkimKeys.Rsa(Folder.Path).Path;
        var (name, value) = (change.Split('=')[0], change.Split('=')[1]);
        switch (name)
        {
            case "domain": settings["Dkim:Domain"] = value; break;
            case "selector": settings["Dkim:Selector"] = value; break;
            case "key": settings["Dkim:PrivateKeyPath"] = KeyFile(value); break;
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(Folder.Path, settings));

        Assert.Contains("The service exited with code 2", error.Message);
        var line = Assert.Single(error.Message.Split('\n'), l => l.Contains("a setting is invalid"));
        Assert.Contains(expected.Replace("{folder}", Folder.Path), line);
        Assert.DoesNotContain("Now listening", error.Message);
    }

    [Theory]
    [InlineData("news.example.org")]
    [InlineData("EXAMPLE.org")]
    public async Task TheFromDomainOrAParentOfItIsAccepted(string domain)
    {
        var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
        settings["Newsletter:From"] = From;
        settings["Dkim:Domain"] = domain;
        settings["Dkim:Selector"] = "s2026";
        settings["Dkim:PrivateKeyPath"] = TestDkimKeys.Ed25519(Folder.Path).Path;

        await using var service = await ServiceProcess.StartAsync(Folder.Path, settings);
        Assert.StartsWith("http://127.0.0.1:", service.BaseUrl);
    }

    private string KeyFile(string kind)
    {
        var path = Path.Combine(Folder.Path, kind + ".pem");
        switch (kind)
        {
            case "rsa1024": return TestDkimKeys.Rsa(Folder.Path, 1024).Path;
            case "garbage": File.WriteAllText(path, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n"); break;
            case "public":
                using (var rsa = System.Security.Cryptography.RSA.Create(2048)) File.WriteAllText(path, rsa.ExportSubjectPublicKeyInfoPem());
                break;
        }
        return path;
    }
}
