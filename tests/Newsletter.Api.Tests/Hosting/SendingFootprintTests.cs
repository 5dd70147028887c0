using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Newsletter.Api.Tests.AdminConsole;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Hosting;

/// <summary>
/// What a SQLite service maps while it serves its pages, its console and a send: not the
/// PostgreSQL driver, not the C# run-time binder (which a <c>dynamic</c> ViewBag or a partial
/// template brings in), not an HTML parser. Each cost megabytes of the send's peak memory
/// (bench/README.md, issue 9), and each would come back without any other test noticing.
/// </summary>
[SqliteOnly]
public sealed class SendingFootprintTests : OwnFolderAndSmtp
{
    private static readonly string[] NotNeeded = ["Npgsql.dll", "Microsoft.CSharp.dll", "AngleSharp.dll", "PreMailer.Net.dll"];

    [Fact]
    public async Task ASqliteServiceThatSentADigestAndServedEveryKindOfPageMapsNoneOfTheLibrariesItDoesNotNeed()
    {
        if (!OperatingSystem.IsLinux()) return; // reads /proc
        var date = new DateOnly(2026, 11, 2);
        await using var service = await ServiceProcess.StartAsync(Folder.Path, ServiceProcess.Settings(Folder.Path, Smtp.Port));
        using var admin = service.AdminClient(NewsletterApp.AdminKey);
        var import = await admin.PostAsync("/api/admin/subscribers/import",
            new StringContent("email\nfootprint1@example.org\nfootprint2@example.org", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var papers = await admin.PostAsync("/api/admin/papers",
            new StringContent(JsonSerializer.Serialize(PaperFixtures.Day(date, 3)), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, papers.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsJsonAsync("/api/admin/digests", new { date = "2026-11-02" })).StatusCode);
        var mails = await Smtp.WaitForCountAsync(m => m.To.StartsWith("footprint"), 2, TimeSpan.FromSeconds(60));

        // A reader's pages (the layout's sections), the web view, an operator's preview and console pages.
        using var reader = new HttpClient { BaseAddress = new Uri(service.BaseUrl) };
        var preferences = ReaderMail.PreferencesLink(mails[0].Message).Replace(NewsletterApp.BaseUrl, "");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(preferences)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/digests/2026-11-02")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/admin/digests/1/preview?email=footprint2@example.org")).StatusCode);
        using var console = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(service.BaseUrl) };
        Assert.Equal(HttpStatusCode.Redirect, (await console.SignInAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/admin/digests/1")).StatusCode);

        var maps = File.ReadAllText($"/proc/{service.ProcessId}/maps");
        Assert.Contains("Newsletter.Core.dll", maps);
        Assert.All(NotNeeded, library => Assert.DoesNotContain("/" + library, maps));
    }
}
