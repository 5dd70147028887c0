using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Newsletter.Api.Tests.Infrastructure;

public static class Digesting
{
    public static async Task<(HttpStatusCode Status, JsonElement Body, string? Location)> TriggerAsync(this NewsletterApp app, DateOnly date)
    {
        using var admin = app.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/api/admin/digests", new { date = date.ToString("yyyy-MM-dd") });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body, response.Headers.Location?.ToString());
    }

    public static async Task<JsonElement> DigestStatusAsync(this NewsletterApp app, long id)
    {
        using var admin = app.CreateAdminClient();
        return await admin.GetFromJsonAsync<JsonElement>($"/api/admin/digests/{id}");
    }

    /// <summary>Waits until the digest's status is <paramref name="status"/> (checked every 50 ms, at most 30 s).</summary>
    public static async Task<JsonElement> WaitForDigestAsync(this NewsletterApp app, long id, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var view = await app.DigestStatusAsync(id);
            if (view.GetProperty("status").GetString() == status) return view;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Digest {id} is {view}, not {status}.");
            await Task.Delay(50);
        }
    }
}
