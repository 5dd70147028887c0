using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Deliverability;

/// <summary>
/// The service set up as an operator would run it (a real sender domain and an https public
/// address, not localhost), and the two mails it sends to the world, as the SMTP server received
/// them: the digest of the seed papers' day and a confirmation. Sent once per test class.
/// </summary>
public sealed class SentMailFixture : AppFixture
{
    public const string PublicBaseUrl = "https://papers.example.org";
    public const string Reader = "ada.lovelace@example.net";
    public const string Newcomer = "grace.hopper@example.net";
    public static readonly DateOnly SeedDay = new(2026, 5, 20);

    private readonly Lazy<Task<SentMail>> _sent;

    public SentMailFixture() => _sent = new(SendAsync);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Newsletter:From"] = "Daily Papers <papers@example.org>",
        ["Newsletter:PublicBaseUrl"] = PublicBaseUrl,
        ["Newsletter:PostalAddress"] = "Daily Papers, 12 Example Street, 10115 Berlin, Germany",
    };

    public Task<SentMail> MailAsync() => _sent.Value;

    private async Task<SentMail> SendAsync()
    {
        await App.ImportSubscribersAsync([Reader]);
        var (status, body, _) = await App.TriggerAsync(SeedDay);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var digest = await Smtp.WaitForMailToAsync(Reader, SeedDay.ToString("yyyy-MM-dd"));

        using var client = App.CreatePublicClient();
        var asked = await client.PostAsJsonAsync("/api/subscriptions", new { email = Newcomer });
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var confirmation = await Smtp.WaitForMailToAsync(Newcomer, "Confirm");
        return new SentMail(body.GetProperty("id").GetInt64(), digest, confirmation);
    }
}

public sealed record SentMail(long DigestId, ReceivedMail Digest, ReceivedMail Confirmation);
