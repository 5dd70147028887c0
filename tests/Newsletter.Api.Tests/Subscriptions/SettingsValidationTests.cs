using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Subscriptions;

/// <summary>A wrong setting stops the service at start, naming the key, instead of failing later.</summary>
public sealed class SettingsValidationTests : OwnFolderAndSmtp
{
    [Theory]
    [InlineData("Newsletter:From", "not an address")]
    [InlineData("Newsletter:PublicBaseUrl", "ftp://example.org")]
    [InlineData("Digest:Cron", "every morning")]
    [InlineData("Digest:TimeZone", "Mars/Olympus_Mons")]
    [InlineData("Smtp:MaxConnections", "0")]
    [InlineData("PaperSources:HuggingFace:Cron", "0 0 25 * * ?")]
    [InlineData("Bounces:Cron", "every ten minutes")]
    [InlineData("Bounces:Imap:Port", "0")]
    public async Task AnInvalidSettingStopsTheStartNamingTheKey(string key, string value)
    {
        var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
        settings[key] = value;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(Folder.Path, settings));

        Assert.Contains("The service exited", error.Message);
        Assert.Contains(key.Split(':')[^1], error.Message);
        Assert.DoesNotContain("Now listening", error.Message);
    }
}
