using System.Net.Http.Json;
using Newsletter.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Newsletter.Api.Tests.Pages;

/// <summary>The pages in a real headless Chromium against the service on a real socket.</summary>
public sealed class BrowserTests(ITestOutputHelper output) : OwnFolderAndSmtp
{
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
        await _browser.DisposeAsync();
        await _service.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>Links in mail point at the public address; the browser reaches this test's service.</summary>
    private string Local(string link) => _service.BaseUrl.TrimEnd('/') + NewsletterApp.PathOf(link);

    [Fact]
    public async Task AReaderSubscribesConfirmsReadsTheDigestOnlineAndLeavesWithTheButton()
    {
        await _browser.GoToAsync(_service.BaseUrl + "/");
        await _browser.ScreenshotAsync(Path.Combine(AppContext.BaseDirectory, "landing.png"));
        Assert.Contains("Get trending papers in your email inbox", await _browser.TextAsync());

        await _browser.FillAsync("input[name=email]", "browser-reader@example.org");
        await _browser.ClickAndWaitAsync("button[type=submit]");
        Assert.Contains("Check your inbox", await _browser.TextAsync());

        var confirmation = await Smtp.WaitForMailToAsync("browser-reader@example.org", "Confirm");
        await _browser.GoToAsync(Local(Mail.ConfirmLink(confirmation.Message)));
        Assert.Contains("Confirm your subscription", await _browser.TextAsync());
        await _browser.ClickAndWaitAsync("form button");
        Assert.Contains("You are subscribed", await _browser.TextAsync());

        using var admin = _service.AdminClient(NewsletterApp.AdminKey);
        var trigger = await admin.PostAsJsonAsync("/api/admin/digests", new { date = "2026-05-20" });
        Assert.True(trigger.IsSuccessStatusCode, await trigger.Content.ReadAsStringAsync());
        var digest = await Smtp.WaitForMailToAsync("browser-reader@example.org", "2026-05-20");

        await _browser.GoToAsync(Local(Mail.LinkStartingWith(digest.Message, NewsletterApp.BaseUrl + "/digests/")));
        await _browser.ScreenshotAsync(Path.Combine(AppContext.BaseDirectory, "digest-web-view.png"));
        var webView = await _browser.TextAsync();
        Assert.Contains("Bridging Continuous and Discrete Tokens for Autoregressive Visual Generation", webView);
        Assert.True((await _browser.EvaluateAsync("document.body.scrollWidth <= 1000")).GetBoolean(), "the page fits the window");

        var unsubscribe = digest.Message.Headers["List-Unsubscribe"]!.Trim('<', '>');
        await _browser.GoToAsync(Local(unsubscribe));
        Assert.Contains("Unsubscribe?", await _browser.TextAsync());
        await _browser.ClickAndWaitAsync("form button");
        Assert.Contains("You are unsubscribed", await _browser.TextAsync());

        var list = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/admin/subscribers?status=unsubscribed");
        Assert.Contains(list.EnumerateArray(), s => s.GetProperty("email").GetString() == "browser-reader@example.org");
        output.WriteLine($"screenshots in {AppContext.BaseDirectory}");
    }
}
