using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Newsletter.Api.Tests.Infrastructure;

public static class Importing
{
    /// <summary>Imports the addresses through the admin CSV endpoint (they become active) and returns the answer.</summary>
    public static async Task<JsonElement> ImportSubscribersAsync(this NewsletterApp app, IEnumerable<string> emails)
    {
        using var admin = app.CreateAdminClient();
        var csv = "email\n" + string.Join("\n", emails) + "\n";
        var response = await admin.PostAsync("/api/admin/subscribers/import", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
