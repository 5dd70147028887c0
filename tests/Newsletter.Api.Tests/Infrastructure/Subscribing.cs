using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>What a person does to join: subscribe, read the mail, follow its link.</summary>
public static class Subscribing
{
    /// <summary>Subscribes and returns the confirmation link from the mail that arrived.</summary>
    public static async Task<string> SubscribeAsync(this NewsletterApp app, string email)
    {
        using var client = app.CreatePublicClient();
        var response = await client.PostAsJsonAsync("/api/subscriptions", new { email });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mails = app.Smtp.MailTo(email).Count;
        var mail = await app.Smtp.WaitForCountAsync(m => m.To == email && (m.Message.Subject ?? "").Contains("Confirm"), mails + 1);
        return Mail.ConfirmLink(mail[^1].Message);
    }

    /// <summary>Subscribes and confirms, as a new reader does.</summary>
    public static async Task SubscribeAndConfirmAsync(this NewsletterApp app, string email)
    {
        var link = await app.SubscribeAsync(email);
        using var client = app.CreatePublicClient();
        var confirmed = await client.GetAsync(NewsletterApp.PathOf(link));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    public static async Task<string?> StatusOfAsync(this NewsletterApp app, string email)
    {
        using var admin = app.CreateAdminClient();
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/admin/subscribers");
        return list.EnumerateArray()
            .Where(s => string.Equals(s.GetProperty("email").GetString(), email, StringComparison.OrdinalIgnoreCase))
            .Select(s => s.GetProperty("status").GetString())
            .SingleOrDefault();
    }
}
