using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Newsletter.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Newsletter.Api.Tests.AdminConsole;

/// <summary>The console in a real headless Chromium against the service on a real socket.</summary>
public sealed class ConsoleBrowserTests(ITestOutputHelper output) : OwnFolderAndSmtp
{
    private const string Day = "2026-05-20";
    private const int Readers = 300;

    private ServiceProcess _service = null!;
    private HeadlessChromium _browser = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _service = await ServiceProcess.StartAsync(Folder.Path, ServiceProcess.Settings(Folder.Path, Smtp.Port));
        _browser = await HeadlessChromium.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        Smtp.Release();
        await _browser.DisposeAsync();
        await _service.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task TheOperatorSignsInSendsADigestWatchesItReachAHundredPercentFindsAReaderAndSignsOut()
    {
        await ImportReadersAsync();
        await SignInAsync();

        await _browser.GoToAsync($"{_service.BaseUrl}/admin/digests/new?date={Day}");
        Assert.Contains($"The daily digest of {Day}", await _browser.TextAsync());
        await _browser.ClickAndWaitAsync("#send-digest");
        await _browser.EvaluateAsync("window.samePage = true");

        // A third of the mail goes through, then the relay holds the next one unanswered: the send
        // is under way and cannot be done, whatever the speed of this machine.
        await Smtp.WaitForCountAsync(_ => true, Readers / 3);
        Smtp.Hold();
        await Smtp.WaitForHeldMessageAsync();
        await _browser.WaitForAsync("document.querySelector('[data-field=status]').textContent === 'sending'"
            + " && +document.querySelector('[data-field=sent]').textContent >= " + Readers / 3);
        Assert.InRange(int.Parse((await _browser.EvaluateAsync("document.querySelector('[data-field=percent]').textContent")).GetString()!), 1, 99);
        Assert.Equal(Readers.ToString(), (await _browser.EvaluateAsync("document.querySelector('[data-field=recipients]').textContent")).GetString());
        await Screenshot("console-digest.png");

        Smtp.Release();
        await _browser.WaitForAsync("document.querySelector('[data-field=percent]').textContent === '100'"
            + " && document.querySelector('[data-field=status]').textContent === 'sent'"
            + " && document.querySelector('progress').value === 100");
        Assert.True((await _browser.EvaluateAsync("window.samePage === true")).GetBoolean(), "the figures moved without a reload");
        Assert.Equal(Readers.ToString(), (await _browser.EvaluateAsync("document.querySelector('[data-field=sent]').textContent")).GetString());
        Assert.Equal(Readers, Smtp.Received.Count);

        await _browser.GoToAsync($"{_service.BaseUrl}/admin");
        var dashboard = await _browser.TextAsync();
        Assert.Contains("Dashboard", dashboard);
        Assert.Contains($"{Readers}", dashboard);
        await Screenshot("console-dashboard.png");

        await _browser.GoToAsync($"{_service.BaseUrl}/admin/subscribers");
        await _browser.FillAsync("input[name=q]", "READER-042");
        await _browser.ClickAndWaitAsync("#search button");
        var results = await _browser.TextAsync();
        Assert.Contains("reader-042@console.example", results);
        Assert.DoesNotContain("reader-041@console.example", results);

        await _browser.ClickAndWaitAsync("#sign-out");
        Assert.Contains("Admin key", await _browser.TextAsync());
        await _browser.GoToAsync($"{_service.BaseUrl}/admin/subscribers?q=reader");
        var afterSignOut = await _browser.TextAsync();
        Assert.Contains("Admin key", afterSignOut);
        Assert.DoesNotContain("reader-", afterSignOut);
    }

    [Fact]
    public async Task AFormPostedWithoutItsTokenIsRefusedAndNothingIsSent()
    {
        await ImportReadersAsync(3);
        await SignInAsync();
        await _browser.GoToAsync($"{_service.BaseUrl}/admin/digests/new?date={Day}");

        await _browser.EvaluateAsync("document.querySelector('#send-digest').form.querySelector('input[name=__RequestVerificationToken]').remove()");
        await _browser.ClickAndWaitAsync("#send-digest");

        Assert.Contains("Form refused", await _browser.TextAsync());
        Assert.Equal(400, (await _browser.EvaluateAsync("performance.getEntriesByType('navigation')[0].responseStatus")).GetInt32());
        Assert.Equal(0L, await CountDigestsAsync());
        await _browser.GoToAsync($"{_service.BaseUrl}/admin/digests/new?date={Day}");
        Assert.Contains("Send to every daily reader now", await _browser.TextAsync());
        Assert.Empty(Smtp.Received);
    }

    private async Task ImportReadersAsync(int count = Readers)
    {
        using var admin = _service.AdminClient(NewsletterApp.AdminKey);
        var csv = "email\n" + string.Join("\n", Enumerable.Range(0, count).Select(i => $"reader-{i:000}@console.example"));
        var import = await admin.PostAsync("/api/admin/subscribers/import", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(count, (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32());
    }

    private async Task SignInAsync()
    {
        await _browser.GoToAsync(_service.BaseUrl + "/admin");
        await _browser.FillAsync("input[name=key]", NewsletterApp.AdminKey);
        await _browser.ClickAndWaitAsync("button[type=submit]");
        Assert.Contains("Dashboard", await _browser.TextAsync());
    }

    private async Task<long> CountDigestsAsync()
    {
        await using var database = TestDatabase.Open(Folder.Path);
        await using var db = await database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(db, "SELECT COUNT(*) FROM digests");
    }

    /// <summary>
    /// Into the test's output folder; also into SCREENSHOTS_DIR when set, which is how docs/ gets
    /// the README's pictures (<c>SCREENSHOTS_DIR=$PWD/docs dotnet test ...</c>) without every test run changing them.
    /// </summary>
    private async Task Screenshot(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, name);
        await _browser.ScreenshotAsync(path);
        if (Environment.GetEnvironmentVariable("SCREENSHOTS_DIR") is { Length: > 0 } folder) File.Copy(path, Path.Combine(folder, name), overwrite: true);
        output.WriteLine($"screenshot {name} in {AppContext.BaseDirectory}");
    }
}
