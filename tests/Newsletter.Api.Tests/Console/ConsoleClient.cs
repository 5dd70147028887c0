using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.AdminConsole;

/// <summary>A browser-like client of the console: keeps its cookies, follows no redirect, reads form tokens from pages.</summary>
public static partial class ConsoleClient
{
    public static HttpClient Create(NewsletterApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>The form token of the page at <paramref name="path"/>, as a browser would post it back.</summary>
    public static async Task<KeyValuePair<string, string>> FormTokenAsync(this HttpClient client, string path = "/admin")
    {
        var page = await client.GetStringAsync(path);
        var match = TokenField().Match(page);
        Assert.True(match.Success, "the page has a form token:\n" + page);
        return KeyValuePair.Create(match.Groups[1].Value, WebUtility.HtmlDecode(match.Groups[2].Value));
    }

    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string key = NewsletterApp.AdminKey)
    {
        var token = await client.FormTokenAsync();
        return await client.PostAsync("/admin/login", new FormUrlEncodedContent([token, KeyValuePair.Create("key", key)]));
    }

    public static async Task<HttpClient> SignedInAsync(NewsletterApp app)
    {
        var client = Create(app);
        var answer = await client.SignInAsync();
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        return client;
    }

    /// <summary>Posts a form of a console page with that page's token and the given fields.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string pagePath, string action, params (string Name, string Value)[] fields)
    {
        var token = await client.FormTokenAsync(pagePath);
        return await client.PostAsync(action, new FormUrlEncodedContent([token, .. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))]));
    }

    [GeneratedRegex("""<input type="hidden" name="([^"]+)" value="([^"]+)">""")]
    private static partial Regex TokenField();
}
