using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.ApiDocs;

/// <summary>The reference in a real headless Chromium, which enforces the page's Content-Security-Policy.</summary>
public sealed class ApiReferenceBrowserTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>, IAsyncLifetime
{
    private HeadlessChromium _browser = null!;

    public async Task InitializeAsync() => _browser = await HeadlessChromium.StartAsync();

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task UnderItsPolicyTheReferenceRunsAndShowsTheServicesOperations()
    {
        await _browser.GoToAsync(new Uri(fixture.App.ListeningAddress, "/api/docs").ToString());

        // The reference renders after its script has fetched and read the document: wait for it (every 100 ms, at most 30 s).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string text;
        while (!(text = await _browser.TextAsync()).Contains("Sign up an address") && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        await _browser.ScreenshotAsync(Path.Combine(AppContext.BaseDirectory, "api-docs.png"));

        Assert.Contains("Newsletter API", text);
        Assert.Contains("Sign up an address", text);
        Assert.Contains("Preferences", text);
        Assert.Contains("Admin", text);
    }
}
