using System.Text;
using Microsoft.Extensions.Logging;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Http;

/// <summary>
/// What fuzzing sends, over a real socket to real Kestrel: every such request gets a 4xx (a problem
/// under /api, a page elsewhere) and one Information line in the log, never an error or a stack trace.
/// </summary>
public sealed class HostileInputTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private const string Multipart = "multipart/form-data; boundary=XyZ";
    private const string UrlEncoded = "application/x-www-form-urlencoded";

    private NewsletterApp App => fixture.App;

    public static TheoryData<string, string, string> MalformedForms => new()
    {
        { "multipart garbage", Multipart, "this is not multipart at all" },
        { "multipart without a boundary", "multipart/form-data", "--\r\n\r\n" },
        { "truncated multipart", Multipart, "--XyZ\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\ntruncated@example.org" },
        { "NUL in the address, encoded", UrlEncoded, "email=nul-encoded%00@example.org" },
        { "NUL in a field name", UrlEncoded, "em%00ail=nul-name@example.org" },
        { "1,025 fields", UrlEncoded, string.Concat(Enumerable.Range(0, 1025).Select(i => $"f{i}=x&")) + "email=many-fields@example.org" },
        { "40 fields, more than any person's form", UrlEncoded, string.Concat(Enumerable.Range(0, 40).Select(i => $"f{i}=x&")) + "email=many-fields-40@example.org" },
    };

    [Theory]
    [MemberData(nameof(MalformedForms))]
    public async Task AMalformedSubscribeFormGetsAPageWithA4xxAndOneInformationLine(string what, string contentType, string body)
    {
        var logged = App.Logs.Entries.Count;
        var bytes = Encoding.UTF8.GetBytes(body);

        var response = await RawHttp.SendAsync(App.ListeningAddress, "POST", "/subscribe",
            [$"Content-Type: {contentType}", $"Content-Length: {bytes.Length}"], bytes);

        Assert.True(response.Status is >= 400 and < 500, $"{what}: {response.Status}");
        Assert.StartsWith("text/html", response.Header("Content-Type"));
        AssertRefusedQuietly(logged, "/subscribe", response);
        Assert.DoesNotContain(await App.AllSubscribersAsync(), s => s.GetProperty("email").GetString()!.StartsWith("nul") ||
            s.GetProperty("email").GetString()!.StartsWith("truncated") || s.GetProperty("email").GetString()!.StartsWith("many-fields"));
    }

    /// <summary>These forms can be read; what they hold is no address, which the form says like for any typo.</summary>
    [Theory]
    [InlineData(UrlEncoded, "email=nul-raw\0@example.org")]
    [InlineData(Multipart, "--XyZ\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nnul-multipart\0@example.org\r\n--XyZ--\r\n")]
    [InlineData(Multipart, "--XyZ\r\nContent-Disposition: form-data; name=\"em\0ail\"\r\n\r\nnul-header@example.org\r\n--XyZ--\r\n")]
    public async Task ANulInsideAReadableFormIsNoAddressAndStoresNothing(string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        var response = await RawHttp.SendAsync(App.ListeningAddress, "POST", "/subscribe",
            [$"Content-Type: {contentType}", $"Content-Length: {bytes.Length}"], bytes);

        Assert.Equal(400, response.Status);
        Assert.StartsWith("text/html", response.Header("Content-Type"));
        Assert.DoesNotContain(App.Logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.DoesNotContain(await App.AllSubscribersAsync(), s => s.GetProperty("email").GetString()!.StartsWith("nul"));
    }

    [Theory]
    [InlineData("/api/subscriptions", "application/json")]
    [InlineData("/api/admin/papers", "application/json")]
    [InlineData("/subscribe", UrlEncoded)]
    public async Task AnOverflowingChunkSizeGetsA400AndOneInformationLine(string path, string contentType)
    {
        var logged = App.Logs.Entries.Count;

        var response = await RawHttp.SendAsync(App.ListeningAddress, "POST", path,
            [$"Content-Type: {contentType}", "Transfer-Encoding: chunked", $"Authorization: Bearer {NewsletterApp.AdminKey}"],
            "ffffffffffffffffff\r\n{\"email\":\"chunk@example.org\"}\r\n0\r\n\r\n");

        Assert.Equal(400, response.Status);
        Assert.StartsWith(path.StartsWith("/api") ? "application/problem+json" : "text/html", response.Header("Content-Type"));
        AssertRefusedQuietly(logged, path, response);
    }

    [Theory]
    [InlineData("{\"email\": ")]
    [InlineData("{\"email\": 42}")]
    [InlineData("[1,2,3]")]
    public async Task BrokenJsonGetsAProblemSayingTheJsonIsInvalid(string json)
    {
        var logged = App.Logs.Entries.Count;

        var response = await RawHttp.SendAsync(App.ListeningAddress, "POST", "/api/subscriptions",
            ["Content-Type: application/json", $"Content-Length: {Encoding.UTF8.GetByteCount(json)}"], json);

        Assert.Equal(400, response.Status);
        Assert.StartsWith("application/problem+json", response.Header("Content-Type"));
        Assert.Contains("JSON", response.Body);
        AssertRefusedQuietly(logged, "/api/subscriptions", response);
    }

    [Theory]
    [InlineData("POST", "/api/subscriptions", "application/json", "", "JSON")]
    [InlineData("POST", "/api/subscriptions", "application/json", "{\"email\": 42}", "$.email")]
    [InlineData("POST", "/api/subscriptions", "application/json", "{\"email\": \"a@example.org\", \"topics\": \"rl\"}", "$.topics")]
    [InlineData("PATCH", "/api/preferences?token=x", "application/json", "", "JSON")]
    [InlineData("POST", "/subscribe", "text/plain", "", "form")]
    [InlineData("POST", "/preferences?token=x", "text/plain", "", "form")]
    public async Task ABodyTheEndpointCannotTakeIsExplainedInTheRequestsTermsNotTheCodes(
        string method, string path, string contentType, string body, string named)
    {
        var response = await RawHttp.SendAsync(App.ListeningAddress, method, path,
            [$"Content-Type: {contentType}", $"Content-Length: {Encoding.UTF8.GetByteCount(body)}"], body);

        Assert.InRange(response.Status, 400, 499);
        Assert.Contains(named, response.Body);
        // What the framework's binder says is for the service's developers: parameter names,
        // .NET types, "Did you mean to use a Service instead?".
        foreach (var internals in new[] { "parameter", "Newsletter.", "System.", "Service instead", "IFormCollection", "JsonElement" })
            Assert.DoesNotContain(internals, response.Body);
    }

    [Fact]
    public async Task ASubscriptionWithoutAnAddressIsAProblemNamingTheField()
    {
        var response = await RawHttp.SendAsync(App.ListeningAddress, "POST", "/api/subscriptions",
            ["Content-Type: application/json", "Content-Length: 16"], "{\"topics\": null}");

        Assert.Equal(400, response.Status);
        Assert.StartsWith("application/problem+json", response.Header("Content-Type"));
        Assert.Contains("\"email\"", response.Body, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// No error anywhere in the log, and exactly one Information line of the service's, without a
    /// stack trace, about this request (the framework's own request lines are off in appsettings.json).
    /// </summary>
    private void AssertRefusedQuietly(int loggedBefore, string path, RawResponse response)
    {
        Assert.DoesNotContain("   at ", response.Body);
        var entries = App.Logs.Entries.ToArray();
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Error);
        var line = Assert.Single(entries.Skip(loggedBefore), e => !e.Category.StartsWith("Microsoft.") && e.Message.Contains(path));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Null(line.Exception);
    }
}
