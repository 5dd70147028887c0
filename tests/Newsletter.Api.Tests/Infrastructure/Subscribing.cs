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
        // Counted before asking: the mail can arrive before the answer is read.
        var mails = app.Smtp.MailTo(email).Count;
        var response = await client.PostAsJsonAsync("/api/subscriptions", new { email });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mail = await app.Smtp.WaitForCountAsync(m => m.To == email && (m.Message.Subject ?? "").Contains("Confirm"), mails + 1);
        return Mail.ConfirmLink(mail[^1].Message);
    }

    /// <summary>Subscribes and confirms, as a new reader does.</summary>
    public static async Task SubscribeAndConfirmAsync(this NewsletterApp app, string email)
    {
        var link = await app.SubscribeAsync(email);
        using var client = app.CreatePublicClient();
        var confirmed = await client.PostAsync(NewsletterApp.PathOf(link), null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    public static async Task<string?> StatusOfAsync(this NewsletterApp app, string email) =>
        (await app.AllSubscribersAsync())
            .Where(s => string.Equals(s.GetProperty("email").GetString(), email, StringComparison.OrdinalIgnoreCase))
            .Select(s => s.GetProperty("status").GetString())
            .SingleOrDefault();

    /// <summary>Every subscriber, page after page as the admin list serves them.</summary>
    public static async Task<List<JsonElement>> AllSubscribersAsync(this NewsletterApp app)
    {
        using var admin = app.CreateAdminClient();
        var all = new List<JsonElement>();
        for (var next = "/api/admin/subscribers?limit=1000"; next is not null;)
        {
            var response = await admin.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            all.AddRange((await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
            next = response.Headers.TryGetValues("Link", out var link) ? link.Single()[1..link.Single().IndexOf('>')] : null;
        }
        return all;
    }
}
