using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MimeKit;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>Readers who shape their digest, and what their mail holds.</summary>
public static partial class ReaderMail
{
    /// <summary>Subscribes with <paramref name="preferences"/> (the sign-up's optional fields) and confirms from the mail.</summary>
    public static async Task SubscribeAndConfirmAsync(this NewsletterApp app, string email, object preferences)
    {
        var body = JsonSerializer.SerializeToNode(preferences)!.AsObject();
        body["email"] = email;
        using var client = app.CreatePublicClient();
        var mails = app.Smtp.MailTo(email).Count;
        var response = await client.PostAsJsonAsync("/api/subscriptions", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mail = await app.Smtp.WaitForCountAsync(m => m.To == email && (m.Message.Subject ?? "").Contains("Confirm"), mails + 1);
        var confirmed = await client.PostAsync(NewsletterApp.PathOf(Mail.ConfirmLink(mail[^1].Message)), null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> TriggerAsync(this NewsletterApp app, DateOnly date, string edition)
    {
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/api/admin/digests", new { date = date.ToString("yyyy-MM-dd"), edition });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>The arXiv ids of the papers a digest mail holds, in the order the reader sees them (from the text part).</summary>
    public static IReadOnlyList<string> PaperIds(MimeMessage message) =>
        PaperLink().Matches(message.TextBody ?? "").Select(m => m.Groups[1].Value).ToList();

    /// <summary>The digest mails a reader received, oldest first.</summary>
    public static IReadOnlyList<MimeMessage> DigestsTo(this NewsletterApp app, string email) =>
        app.Smtp.MailTo(email).Where(m => m.Message.Headers.Contains("List-Unsubscribe")).Select(m => m.Message).ToList();

    public static string PreferencesLink(MimeMessage message) => Mail.LinkStartingWith(message, NewsletterApp.BaseUrl + "/preferences?token=");

    /// <summary>Every feedback link of the HTML part, in order.</summary>
    public static IReadOnlyList<string> FeedbackLinks(string html) =>
        FeedbackLink().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    /// <summary>Changes the reader's preferences the way the reader does: with the link from their mail.</summary>
    public static async Task<JsonElement> PatchPreferencesAsync(this NewsletterApp app, string preferencesLink, object changes)
    {
        using var client = app.CreatePublicClient();
        var path = NewsletterApp.PathOf(preferencesLink).Replace("/preferences?", "/api/preferences?");
        var response = await client.PatchAsJsonAsync(path, changes);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [GeneratedRegex(@"Paper: https://huggingface\.co/papers/(\S+)")]
    private static partial Regex PaperLink();

    [GeneratedRegex(@"href=""(http://newsletter\.test/feedback\?token=[^""]+)""")]
    private static partial Regex FeedbackLink();
}
