using System.Net;
using System.Net.Http.Headers;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.AdminConsole;

/// <summary>Signing in to the console, its session cookie, signing out; nothing shown without a session.</summary>
public sealed class ConsoleSignInTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task WithoutASessionTheConsoleShowsOnlyTheSignInForm()
    {
        await App.ImportSubscribersAsync(["hidden-reader@example.org"]);
        using var stranger = ConsoleClient.Create(App);

        var home = await stranger.GetAsync("/admin");
        var html = await home.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("Admin key", html);
        Assert.DoesNotContain("Dashboard", html);

        foreach (var path in new[] { "/admin/subscribers?q=hidden", "/admin/subscribers/export?status=active", "/admin/subscribers/1",
                     "/admin/digests", "/admin/digests/1/progress", "/admin/papers", "/admin/console.js" })
        {
            var answer = await stranger.GetAsync(path);
            var body = await answer.Content.ReadAsStringAsync();
            // Pages lead to the sign-in form; the progress JSON, which a script asks for, is refused as such.
            if (path.EndsWith("/progress")) Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            else
            {
                Assert.True(answer.StatusCode == HttpStatusCode.Redirect, $"{path}: {answer.StatusCode}");
                Assert.Equal("/admin", answer.Headers.Location!.AbsolutePath);
            }
            Assert.DoesNotContain("hidden-reader", body);
            Assert.DoesNotContain("\"sent\"", body);
        }
    }

    [Fact]
    public async Task TheRightKeyLeadsToTheDashboard()
    {
        using var client = ConsoleClient.Create(App);

        var signIn = await client.SignInAsync();
        var dashboard = await client.GetAsync(signIn.Headers.Location!.ToString());

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var html = await dashboard.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("<h1>Dashboard</h1>", html);
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("Admin key", html);
    }

    [Fact]
    public async Task AWrongKeyIsAnswered401WithTheFormAgainAndNoSession()
    {
        using var client = ConsoleClient.Create(App);

        var answer = await client.SignInAsync("not-the-admin-key-at-all");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        var html = await answer.Content.ReadAsStringAsync();
        Assert.Contains("That is not the admin key", html);
        Assert.Contains("name=\"key\"", html);
        Assert.False(answer.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("newsletter-console=")));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin/subscribers")).StatusCode);
    }

    [Fact]
    public async Task TheSessionCookieIsHttpOnlyStrictExpiringAndNotSecureUnderAnHttpAddress()
    {
        using var client = ConsoleClient.Create(App);

        var cookie = SessionCookie(await client.SignInAsync());

        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("newsletter-console", ""), StringComparison.OrdinalIgnoreCase);
        var expires = DateTimeOffset.Parse(cookie.Split(';').Select(p => p.Trim()).Single(p => p.StartsWith("expires=", StringComparison.OrdinalIgnoreCase))[8..]);
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Fact]
    public async Task SigningOutEndsTheSessionEvenForACopyOfItsCookie()
    {
        using var client = ConsoleClient.Create(App);
        var cookie = SessionCookie(await client.SignInAsync()).Split(';')[0];
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/subscribers")).StatusCode);

        var signOut = await client.PostFormAsync("/admin", "/admin/logout");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin/subscribers")).StatusCode);
        using var replay = App.CreatePublicClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/subscribers");
        request.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.Redirect, (await replay.SendAsync(request)).StatusCode);
        Assert.Contains("Admin key", await client.GetStringAsync("/admin"));
    }

    [Fact]
    public async Task TheBearerKeyStillOpensTheAdminApiAndTheConsoleCookieDoesNot()
    {
        using var admin = App.CreateAdminClient();
        using var client = await ConsoleClient.SignedInAsync(App);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/admin/subscribers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/admin/subscribers")).StatusCode);
    }

    [Fact]
    public async Task AFormPostedWithoutItsTokenIsRefusedWith400AndChangesNothing()
    {
        using var client = await ConsoleClient.SignedInAsync(App);
        var csv = new MultipartFormDataContent { { new StringContent("email\nforged-import@example.org\n"), "file", "list.csv" } };
        var forged = new MultipartFormDataContent
        {
            { new StringContent("CfDJ8forged"), "__RequestVerificationToken" },
            { new StringContent("email\nforged-import@example.org\n"), "file", "list.csv" },
        };

        var withoutToken = await client.PostAsync("/admin/subscribers/import", csv);
        var withForgedToken = await client.PostAsync("/admin/subscribers/import", forged);
        var signOutWithoutToken = await client.PostAsync("/admin/logout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withForgedToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, signOutWithoutToken.StatusCode);
        Assert.DoesNotContain("forged-import@example.org", await client.GetStringAsync("/admin/subscribers?q=forged-import"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/subscribers")).StatusCode);
    }

    private static string SessionCookie(HttpResponseMessage signIn)
    {
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("newsletter-console="));
    }
}

/// <summary>Behind an https address the session cookie is never sent in clear.</summary>
public sealed class ConsoleHttpsCookieTests(ConsoleHttpsCookieTests.HttpsFixture fixture) : IClassFixture<ConsoleHttpsCookieTests.HttpsFixture>
{
    public sealed class HttpsFixture : AppFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Newsletter:PublicBaseUrl"] = "https://newsletter.test" };
    }

    [Fact]
    public async Task TheSessionCookieIsSecureUnderAnHttpsAddress()
    {
        using var client = ConsoleClient.Create(fixture.App);

        var signIn = await client.SignInAsync();

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("newsletter-console="));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Guessing the key at the sign-in form.</summary>
public sealed class ConsoleSignInGuessTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task TheSixthWrongKeyInAMinuteFromOneAddressGets429EvenWithTheRightKeyAfter()
    {
        using var guesser = ConsoleClient.Create(fixture.App);

        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.SignInAsync($"guess-{i}-0123456789abcdef")).StatusCode);
        var sixth = await guesser.SignInAsync("guess-6-0123456789abcdef");
        var right = await guesser.SignInAsync();

        Assert.Equal((HttpStatusCode)429, sixth.StatusCode);
        Assert.InRange(sixth.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Contains("Too many wrong keys", await sixth.Content.ReadAsStringAsync());
        Assert.Equal((HttpStatusCode)429, right.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await guesser.GetAsync("/admin/subscribers")).StatusCode);
    }
}
