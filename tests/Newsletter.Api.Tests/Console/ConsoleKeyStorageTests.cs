using System.Net;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.AdminConsole;

/// <summary>
/// The keys that protect the console's cookie and form tokens are the service's own state: kept
/// beside its database, never in the user's home folder that every service (and test) run by that
/// user would share.
/// </summary>
public sealed class ConsoleKeyStorageTests : OwnFolderAndSmtp
{
    [Fact]
    public async Task SigningInKeepsTheProtectionKeysBesideTheDatabaseAndWritesNothingToHome()
    {
        var home = Directory.CreateDirectory(Path.Combine(Folder.Path, "home")).FullName;
        var settings = ServiceProcess.Settings(Folder.Path, Smtp.Port);
        settings["HOME"] = home;
        await using var service = await ServiceProcess.StartAsync(Folder.Path, settings);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri(service.BaseUrl),
        };

        var token = await client.FormTokenAsync();
        var signIn = await client.PostAsync("/admin/login", new FormUrlEncodedContent([token, KeyValuePair.Create("key", NewsletterApp.AdminKey)]));

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Folder.Path, "data-protection-keys"), "*.xml"));
        Assert.Empty(Directory.GetFileSystemEntries(home));
    }
}
