using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Subscriptions;

public sealed class SubscribeTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _client = fixture.App.CreatePublicClient();

    [Fact]
    public async Task SubscriberConfirmsThroughTheLinkInTheMailAndBecomesActive()
    {
        const string email = "ada@example.org";
        var response = await _client.PostAsJsonAsync("/api/subscriptions", new { email, topics = new[] { "cs.CL" } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("pending", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("pending", await StatusOf(email));

        var mail = await fixture.Smtp.WaitForMailToAsync(email, "Confirm");
        Assert.NotNull(mail.Message.TextBody);
        Assert.NotNull(mail.Message.HtmlBody);
        var link = Mail.ConfirmLink(mail.Message);
        Assert.Contains(link, mail.Message.HtmlBody);

        var confirmed = await _client.PostAsync(NewsletterApp.PathOf(link), null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("text/html", confirmed.Content.Headers.ContentType!.ToString());
        Assert.Equal("active", await StatusOf(email));

        var again = await _client.PostAsync(NewsletterApp.PathOf(link), null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("active", await StatusOf(email));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not-an-address")]
    [InlineData("two@at@example.org")]
    [InlineData("Ada Lovelace <ada.dn@example.org>")]
    [InlineData("inject@example.org\r\nBcc: victim@example.org")]
    [InlineData("inject2@example.org\nSubject: spam")]
    [InlineData("no-domain@")]
    [InlineData("@example.org")]
    [InlineData("dots..twice@example.org")]
    [InlineData("space in@example.org")]
    public async Task InvalidAddressIsRejectedWithProblemAndNothingIsStored(string email)
    {
        var before = await AllSubscribers();
        var response = await _client.PostAsJsonAsync("/api/subscriptions", new { email });

        response.AssertProblem(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Equal(JsonValueKind.Array, problem.GetProperty("errors").GetProperty("email").ValueKind);
        Assert.Equal(before, await AllSubscribers());
    }

    [Fact]
    public async Task ABadAddressAndABadSettingAreBothNamedInOneProblem()
    {
        var before = await AllSubscribers();

        var missing = await _client.PostAsJsonAsync("/api/subscriptions", new { topics = new[] { "agents" } });
        var both = await _client.PostAsJsonAsync("/api/subscriptions", new { email = "bad", frequency = "hourly" });

        missing.AssertProblem(HttpStatusCode.BadRequest);
        var missingErrors = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["email"], missingErrors.EnumerateObject().Select(e => e.Name).ToArray());
        both.AssertProblem(HttpStatusCode.BadRequest);
        var problem = await both.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["email", "frequency"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains("email:", problem.GetProperty("detail").GetString());
        Assert.Contains("frequency:", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await AllSubscribers());
    }

    [Fact]
    public async Task AddressLongerThan254CharactersIsRejected()
    {
        var email = new string('a', 64) + "@" + string.Join(".", Enumerable.Repeat(new string('b', 60), 3)) + ".example.org";
        Assert.True(email.Length > 254);
        var response = await _client.PostAsJsonAsync("/api/subscriptions", new { email });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(await AllSubscribers(), s => s.Contains("bbbb"));
    }

    [Theory]
    [InlineData("{\"email\": ")]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"email\": 42}")]
    [InlineData("")]
    public async Task BrokenJsonIsRejectedWithProblem(string body)
    {
        var response = await _client.PostAsync("/api/subscriptions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task KnownAddressGetsTheSameAnswerAndAnActiveOneNoSecondConfirmation()
    {
        const string email = "known@example.org";
        var first = await _client.PostAsJsonAsync("/api/subscriptions", new { email });
        var confirm = await fixture.Smtp.WaitForMailToAsync(email, "Confirm");
        await _client.PostAsync(NewsletterApp.PathOf(Mail.ConfirmLink(confirm.Message)), null);

        var second = await _client.PostAsJsonAsync("/api/subscriptions", new { email = "Known@EXAMPLE.org" });
        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());

        // A later subscription's mail arriving proves the mailer has passed this address by.
        const string marker = "after-known@example.org";
        await _client.PostAsJsonAsync("/api/subscriptions", new { email = marker });
        await fixture.Smtp.WaitForMailToAsync(marker, "Confirm");
        Assert.Single(fixture.Smtp.MailTo(email));
        Assert.Equal("active", await StatusOf(email));
    }

    [Fact]
    public async Task LandingPageFormSubscribesWithDoubleOptIn()
    {
        var page = await _client.GetStringAsync("/");
        Assert.Contains("<form method=\"post\" action=\"/subscribe\"", page);
        Assert.Contains("name=\"email\"", page);

        const string email = "form-user@example.org";
        var response = await _client.PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Check your inbox", await response.Content.ReadAsStringAsync());
        await fixture.Smtp.WaitForMailToAsync(email, "Confirm");
        Assert.Equal("pending", await StatusOf(email));

        var bad = await _client.PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "nope" }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("text/html", bad.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task HealthAnswersWhenTheDatabaseDoes()
    {
        var response = await _client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnknownPagesAnswer404WithoutAStackTrace()
    {
        var page = await _client.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType!.ToString());
        var api = await _client.GetAsync("/api/no-such-endpoint");
        api.AssertProblem(HttpStatusCode.NotFound);
    }

    private Task<string?> StatusOf(string email) => fixture.App.StatusOfAsync(email);

    private async Task<List<string>> AllSubscribers() =>
        (await fixture.App.AllSubscribersAsync()).Select(s => s.GetProperty("email").GetString()!).Order().ToList();
}
