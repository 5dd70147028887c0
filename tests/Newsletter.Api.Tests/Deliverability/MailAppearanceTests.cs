using Newsletter.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Newsletter.Api.Tests.Deliverability;

/// <summary>One headless Chromium for the test class, and a temporary folder for the mails it opens.</summary>
public sealed class MailBrowserFixture : IAsyncLifetime
{
    public TempFolder Folder { get; } = new();

    public HeadlessChromium Browser { get; private set; } = null!;

    public async Task InitializeAsync() => Browser = await HeadlessChromium.StartAsync();

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Folder.Dispose();
    }
}

/// <summary>
/// The digest and the confirmation, as the SMTP server received them, opened the way a mail
/// client shows HTML: on a phone, a tablet-wide pane and a desktop, for a reader who chose the
/// dark appearance and one who chose the light one.
/// </summary>
public sealed class MailAppearanceTests(SentMailFixture mail, MailBrowserFixture browser, ITestOutputHelper output)
    : IClassFixture<SentMailFixture>, IClassFixture<MailBrowserFixture>
{
    public static TheoryData<string, int, bool> Views()
    {
        var views = new TheoryData<string, int, bool>();
        foreach (var which in new[] { "digest", "confirmation" })
        foreach (var width in new[] { 320, 600, 1200 })
        foreach (var dark in new[] { true, false })
            views.Add(which, width, dark);
        return views;
    }

    public static TheoryData<string> Mails() => new() { "digest", "confirmation" };

    [Theory]
    [MemberData(nameof(Views))]
    public async Task EveryTextIsLegibleInTheReadersAppearanceAndNothingScrollsSideways(string which, int width, bool dark)
    {
        await OpenAsync(which, width, dark);
        var seen = await Legibility.MeasureAsync(browser.Browser);

        AssertLegible(seen, dark);
        Assert.True(seen.ScrollWidth <= seen.InnerWidth, $"The {which} is {seen.ScrollWidth}px wide in a {seen.InnerWidth}px window: it scrolls sideways.");
    }

    /// <summary>
    /// Outlook's apps do not answer prefers-color-scheme: in their dark mode they mark each element
    /// whose text colour (data-ogsc) or background (data-ogsb) they change. Marked that way (and not
    /// yet recoloured by Outlook), the mail takes the dark look from its own sheet.
    /// </summary>
    [Theory]
    [MemberData(nameof(Mails))]
    public async Task MarkedAsOutlooksDarkModeMarksItTheMailTurnsDarkAndLegible(string which)
    {
        await OpenAsync(which, 600, dark: false);
        await browser.Browser.EvaluateAsync("""
            document.querySelectorAll('[style]').forEach(e => {
              if (e.style.color) e.setAttribute('data-ogsc', e.style.color);
              if (e.style.backgroundColor) e.setAttribute('data-ogsb', e.style.backgroundColor);
            })
            """);
        AssertLegible(await Legibility.MeasureAsync(browser.Browser), dark: true);
    }

    private async Task OpenAsync(string which, int width, bool dark)
    {
        var sent = await mail.MailAsync();
        var message = which == "digest" ? sent.Digest.Message : sent.Confirmation.Message;
        var file = Path.Combine(browser.Folder.Path, $"{which}.html");
        await File.WriteAllTextAsync(file, message.HtmlBody);
        await browser.Browser.EmulateScreenAsync(width, 900, dark);
        await browser.Browser.GoToAsync(new Uri(file).AbsoluteUri);
        if (Environment.GetEnvironmentVariable("MAIL_SCREENSHOTS") is { Length: > 0 } shots)
            await browser.Browser.ScreenshotAsync(Path.Combine(shots, $"{which}-{width}-{(dark ? "dark" : "light")}.png"));
    }

    /// <summary>Body text, titles and links all readable, on the background the reader chose.</summary>
    private void AssertLegible(Legibility seen, bool dark)
    {
        output.WriteLine($"{seen.Checked} texts checked ({string.Join(", ", seen.Tags)}); title background luminance {seen.TitleBackgroundLuminance:0.000}");
        foreach (var failure in seen.Failures) output.WriteLine($"too faint: {failure}");
        Assert.Contains("a", seen.Tags);
        Assert.Contains("h1", seen.Tags);
        Assert.True(seen.Failures.Count == 0, $"{seen.Failures.Count} of {seen.Checked} texts are too faint to read:\n{string.Join("\n", seen.Failures)}");
        if (dark) Assert.True(seen.TitleBackgroundLuminance < 0.05, $"In dark mode the mail stays light (title background luminance {seen.TitleBackgroundLuminance:0.000}).");
        else Assert.True(seen.TitleBackgroundLuminance > 0.8, $"In light mode the mail is not light (title background luminance {seen.TitleBackgroundLuminance:0.000}).");
    }
}
