using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Core.Security;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>A confirmed reader and the preferences link their confirmation page gave them.</summary>
public sealed record Reader(string Email, string PreferencesToken, long Id, long ConsentVersion)
{
    public string Api => $"/api/preferences?token={Uri.EscapeDataString(PreferencesToken)}";

    public string Page => $"/preferences?token={Uri.EscapeDataString(PreferencesToken)}";
}

/// <summary>What a reader does with their own links: join, open the preferences, vote from the mail.</summary>
public static partial class Readers
{
    /// <summary>Subscribes (with the optional settings), follows the link in the mail and takes the preferences link from the page.</summary>
    public static async Task<Reader> JoinAsync(this NewsletterApp app, string email, object? settings = null) =>
        await app.ConfirmAsync(email, await app.SignUpAsync(email, settings));

    /// <summary>Posts a sign-up with the settings beside the address; returns the confirmation link from the mail.</summary>
    public static async Task<string> SignUpAsync(this NewsletterApp app, string email, object? settings = null)
    {
        var body = settings is null ? new JsonObject() : JsonSerializer.SerializeToNode(settings)!.AsObject();
        body["email"] = email;
        using var client = app.CreatePublicClient();
        var mails = app.Smtp.MailTo(email).Count;
        var response = await client.PostAsync("/api/subscriptions", Json(body.ToJsonString()));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mail = await app.Smtp.WaitForCountAsync(m => m.To == email && (m.Message.Subject ?? "").Contains("Confirm"), mails + 1);
        return Mail.ConfirmLink(mail[^1].Message);
    }

    public static async Task<Reader> ConfirmAsync(this NewsletterApp app, string email, string confirmLink)
    {
        using var client = app.CreatePublicClient();
        // As a person does: the link's page, then its Confirm button.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(NewsletterApp.PathOf(confirmLink))).StatusCode);
        var page = await client.PostAsync(NewsletterApp.PathOf(confirmLink), null);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var link = PreferencesLinkOn(await page.Content.ReadAsStringAsync());
        var token = Tokens.Of(link);
        var payload = Tokens.Payload(token).Split(':');
        return new Reader(email, token, long.Parse(payload[1]), long.Parse(payload[2]));
    }

    /// <summary>The reader's preferences link as a page shows it: absolute, on the public base address.</summary>
    public static string PreferencesLinkOn(string html)
    {
        var match = PreferencesHref().Match(html);
        Assert.True(match.Success, "No preferences link on the page:\n" + html);
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>The token a digest's "More like this" (+1) or "Less like this" (-1) link would carry.</summary>
    public static string FeedbackToken(this NewsletterApp app, Reader reader, string paperId, int vote) =>
        app.Services.GetRequiredService<SubscriberTokens>().CreateFeedback(reader.Id, reader.ConsentVersion, paperId, vote);

    public static string UnsubscribeToken(this NewsletterApp app, Reader reader) =>
        app.Services.GetRequiredService<SubscriberTokens>().CreateUnsubscribe(reader.Id);

    public static async Task<JsonElement> PreferencesAsync(this HttpClient client, Reader reader)
    {
        var response = await client.GetAsync(reader.Api);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The stored preferences as the API shows them, for comparing before and after.</summary>
    public static async Task<string> SnapshotAsync(this HttpClient client, Reader reader) =>
        (await client.PreferencesAsync(reader)).GetRawText();

    public static Task<HttpResponseMessage> PatchAsync(this HttpClient client, Reader reader, string json) =>
        client.PatchAsync(reader.Api, Json(json));

    public static Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, params (string Name, string Value)[] fields) =>
        client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static string[] Strings(this JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [GeneratedRegex("href=\"(" + "http://newsletter\\.test/preferences\\?token=[^\"]+)\"")]
    private static partial Regex PreferencesHref();
}
