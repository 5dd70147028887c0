using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Digests;

public sealed class DigestDeliveryTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task ConfirmedSubscribersReceiveTheDigestAsAMailClientReadsIt()
    {
        var date = new DateOnly(2026, 6, 1);
        await App.SubscribeAndConfirmAsync("reader-a@example.org");
        await App.SubscribeAndConfirmAsync("reader-b@example.org");
        await App.SubscribeAsync("still-pending@example.org");
        var papers = PaperFixtures.Day(date, 12);
        await App.ImportAsync(papers);

        var (status, body, location) = await App.TriggerAsync(date);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal($"/api/admin/digests/{id}", location);
        Assert.Equal(10, body.GetProperty("papers").GetArrayLength());

        var mail = await App.Smtp.WaitForMailToAsync("reader-a@example.org", "2026-06-01");
        await App.Smtp.WaitForMailToAsync("reader-b@example.org", "2026-06-01");
        var done = await App.WaitForDigestAsync(id, "sent");
        Assert.Equal(0, done.GetProperty("pending").GetInt64());
        Assert.Equal(done.GetProperty("recipients").GetInt64(), done.GetProperty("sent").GetInt64());
        Assert.DoesNotContain(App.Smtp.MailTo("still-pending@example.org"), m => m.Message.Subject!.Contains("2026-06-01"));

        var message = mail.Message;
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType).ToArray());
        Assert.NotNull(message.Headers[HeaderId.Date]);
        Assert.Matches(@"^digest-20260601\.\d+\.\d+@localhost$", message.MessageId);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        Assert.Contains("<daily-papers.localhost>", message.Headers["List-Id"]);
        var header = message.Headers["List-Unsubscribe"]!;
        Assert.Matches(@"^<http://newsletter\.test/unsubscribe\?token=[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+>$", header);
        var unsubscribeUrl = header.Trim('<', '>');

        var html = message.HtmlBody!;
        var text = message.TextBody!;
        foreach (var rank in Enumerable.Range(1, 10))
        {
            var paperId = $"2606.01{rank:000}";
            Assert.Contains($"<a href=\"https://huggingface.co/papers/{paperId}\"", html);
            Assert.Contains($"https://arxiv.org/abs/{paperId}", html);
            Assert.Contains($"https://huggingface.co/papers/{paperId}", text);
            Assert.Contains($"https://arxiv.org/abs/{paperId}", text);
            Assert.Contains($"Paper {rank} of 2026-06-01", html);
            Assert.Contains($"{100 - rank} upvotes", text);
        }
        Assert.DoesNotContain("2606.01011", html);
        Assert.Contains("Ada Example, Bo Sample", text);
        Assert.Contains($"href=\"{unsubscribeUrl}\"", html);
        Assert.Contains(unsubscribeUrl, text);
        Assert.Contains("Test Lab, 1 Loopback Lane, 12345 Localhost", html);
        Assert.Contains("Test Lab, 1 Loopback Lane, 12345 Localhost", text);
        Assert.Contains("http://newsletter.test/digests/2026-06-01", text);
        Assert.DoesNotContain("unsubscribe.invalid", html + text);
        // Styles are inline; the one sheet left is the dark look, which inline styles cannot express.
        var sheet = Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, @"<style[^>]*>[\s\S]*?</style>")).Value;
        Assert.Contains("@media (prefers-color-scheme: dark)", sheet);
        Assert.DoesNotContain("font-size", sheet);
        Assert.True(mail.Raw.Length < 102 * 1024, $"{mail.Raw.Length} bytes");

        // The provider's one-click POST, to the URL from the header; the next digest skips the address.
        using var provider = new HttpClient(App.Server.CreateHandler()) { BaseAddress = new Uri(NewsletterApp.BaseUrl) };
        var unsubscribe = await provider.PostAsync(NewsletterApp.PathOf(unsubscribeUrl),
            new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, unsubscribe.StatusCode);

        var next = new DateOnly(2026, 6, 2);
        await App.ImportAsync(PaperFixtures.Day(next, 3));
        var (_, nextBody, _) = await App.TriggerAsync(next);
        await App.Smtp.WaitForMailToAsync("reader-b@example.org", "2026-06-02");
        await App.WaitForDigestAsync(nextBody.GetProperty("id").GetInt64(), "sent");
        Assert.DoesNotContain(App.Smtp.MailTo("reader-a@example.org"), m => m.Message.Subject!.Contains("2026-06-02"));
    }

    [Fact]
    public async Task TheSameDateTwiceReturnsTheFirstDigestAndSendsNothingNew()
    {
        var date = new DateOnly(2026, 6, 3);
        await App.SubscribeAndConfirmAsync("twice@example.org");
        await App.ImportAsync(PaperFixtures.Day(date, 4));

        var (first, body, _) = await App.TriggerAsync(date);
        Assert.Equal(HttpStatusCode.Accepted, first);
        var id = body.GetProperty("id").GetInt64();
        await App.WaitForDigestAsync(id, "sent");

        var (second, again, _) = await App.TriggerAsync(date);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal(id, again.GetProperty("id").GetInt64());

        // Mail sent after the second request arrives after anything it could have caused.
        await App.SubscribeAsync("marker-twice@example.org");
        Assert.Single(App.Smtp.MailTo("twice@example.org"), m => m.Message.Subject!.Contains("2026-06-03"));
    }

    [Fact]
    public async Task ADateWithoutUnsentPapersIsRefusedWith422()
    {
        var (status, body, _) = await App.TriggerAsync(new DateOnly(2026, 6, 4));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(422, body.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("{\"date\":\"2026-13-01\"}")]
    [InlineData("{\"date\":\"01/06/2026\"}")]
    [InlineData("{\"date\":")]
    [InlineData("[]")]
    public async Task MalformedTriggerRequestsAreRefusedWith400(string body)
    {
        using var admin = App.CreateAdminClient();
        var response = await admin.PostAsync("/api/admin/digests", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        response.AssertProblem(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("0001-01-04", "daily")]
    [InlineData("0001-01-03", "weekly")]
    [InlineData("1991-08-13", "daily")]
    public async Task ADigestDatedBeforeArxivsFirstDayIsRefusedWith400NamingTheDate(string date, string edition)
    {
        // A paper on that very day: the refusal is for the date, not for an empty list. Before
        // the check a daily digest of the year 1 failed with 500 looking for rising papers, and
        // a weekly one on its first day.
        await App.ImportAsync(PaperFixtures.Day(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), 2));
        using var admin = App.CreateAdminClient();

        var response = await admin.PostAsync("/api/admin/digests",
            new StringContent($$"""{"date":"{{date}}","edition":"{{edition}}"}""", System.Text.Encoding.UTF8, "application/json"));

        response.AssertProblem(HttpStatusCode.BadRequest);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains(date, detail);
        Assert.Contains("1991-08-14", detail);
        var digests = await admin.GetFromJsonAsync<JsonElement>("/api/admin/digests?limit=200");
        Assert.DoesNotContain(digests.EnumerateArray(), d => d.GetProperty("date").GetString() == date);
    }

    [Fact]
    public async Task UnknownDigestsAre404()
    {
        using var admin = App.CreateAdminClient();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/admin/digests/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/admin/digests/999999/preview")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/admin/digests/999999/resume", null)).StatusCode);
        using var client = App.CreatePublicClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/digests/1999-01-01")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/digests/not-a-date")).StatusCode);
    }

    [Fact]
    public async Task PreviewAndArchiveShowTheDigestWithoutPersonalLinks()
    {
        var date = new DateOnly(2026, 6, 5);
        await App.ImportAsync(PaperFixtures.Day(date, 2));
        var (_, body, _) = await App.TriggerAsync(date);
        var id = body.GetProperty("id").GetInt64();

        using var admin = App.CreateAdminClient();
        var preview = await admin.GetAsync($"/api/admin/digests/{id}/preview");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("text/html", preview.Content.Headers.ContentType!.MediaType);
        var previewHtml = await preview.Content.ReadAsStringAsync();
        Assert.Contains("Paper 1 of 2026-06-05", previewHtml);
        Assert.Contains("Unsubscribe", previewHtml);
        Assert.DoesNotContain("unsubscribe.invalid", previewHtml);

        using var client = App.CreatePublicClient();
        var archive = await client.GetAsync("/digests/2026-06-05");
        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        var archiveHtml = await archive.Content.ReadAsStringAsync();
        Assert.Contains("Paper 2 of 2026-06-05", archiveHtml);
        Assert.Contains("https://arxiv.org/abs/2606.05002", archiveHtml);
        Assert.DoesNotContain("unsubscribe", archiveHtml, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ARejectedRecipientIsRecordedAndTheSendGoesOn()
    {
        var date = new DateOnly(2026, 6, 6);
        await App.SubscribeAndConfirmAsync("gone-mailbox@example.org");
        await App.SubscribeAndConfirmAsync("fine-mailbox@example.org");
        App.Smtp.RejectedRecipients["gone-mailbox@example.org"] = true;
        await App.ImportAsync(PaperFixtures.Day(date, 2));

        var (_, body, _) = await App.TriggerAsync(date);
        var done = await App.WaitForDigestAsync(body.GetProperty("id").GetInt64(), "sent");

        Assert.True(done.GetProperty("failed").GetInt64() >= 1);
        Assert.Single(App.Smtp.MailTo("fine-mailbox@example.org"), m => m.Message.Subject!.Contains("2026-06-06"));
        Assert.DoesNotContain(App.Smtp.MailTo("gone-mailbox@example.org"), m => m.Message.Subject!.Contains("2026-06-06"));
        Assert.Equal("bounced", await App.StatusOfAsync("gone-mailbox@example.org"));
    }

    [Fact]
    public async Task APaperShowsItsAiSummaryAndCodeWithStarsWhenKnownAndAShortenedAbstractOtherwise()
    {
        var date = new DateOnly(2026, 6, 7);
        await App.SubscribeAndConfirmAsync("details@example.org");
        await App.ImportAsync(
            PaperFixtures.Item("2606.07001", "With code", 9, date, comments: 4,
                aiSummary: "One sentence that says what the paper does.", githubRepo: "https://github.com/example/with-code", githubStars: 1234),
            PaperFixtures.Item("2606.07002", "Abstract only", 5, date));

        await App.TriggerAsync(date);
        var mail = (await App.Smtp.WaitForMailToAsync("details@example.org", "2026-06-07")).Message;

        Assert.Contains("One sentence that says what the paper does.", mail.HtmlBody);
        Assert.Contains("<a href=\"https://github.com/example/with-code\"", mail.HtmlBody);
        Assert.Contains("★ 1.2k", mail.HtmlBody);
        Assert.Contains("Code:  https://github.com/example/with-code (★ 1.2k)", mail.TextBody);
        Assert.Contains("4 comments", mail.TextBody);
        // The abstract of the second is cut at a word with an ellipsis, not sent whole.
        Assert.Contains("We study abstract only in depth.", mail.TextBody);
        Assert.Contains("…", mail.TextBody);
        Assert.DoesNotContain(string.Concat(Enumerable.Repeat("The method is evaluated on standard benchmarks. ", 12)).Trim(), mail.TextBody);
    }
}
