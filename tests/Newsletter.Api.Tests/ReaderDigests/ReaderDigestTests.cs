using System.Net;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.ReaderDigests;

/// <summary>Each reader's own digest: their papers, their links, nothing when nothing is for them.</summary>
public sealed class ReaderDigestTests : OwnFolderAndSmtp
{
    private static readonly DateOnly Day = new(2026, 8, 4);

    private static object Paper(string id, string title, int upvotes, string? code = null) =>
        PaperFixtures.Item(id, title, upvotes, Day, githubRepo: code);

    [Fact]
    public async Task EachPaperCarriesItsOwnMoreAndLessLinksAfterItsTitleAndTheMailCarriesThePreferencesLink()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path);
        await app.ImportAsync(Paper("2608.04001", "Sparse attention at scale", 90), Paper("2608.04002", "Robots that fold laundry", 80),
            Paper("2608.04003", "Diffusion for proteins", 70));
        const string email = "links@example.org";
        await app.SubscribeAndConfirmAsync(email);

        var (status, body) = await app.TriggerAsync(Day, "daily");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var mail = (await app.Smtp.WaitForMailToAsync(email, "2026-08-04")).Message;

        Assert.Equal(["2608.04001", "2608.04002", "2608.04003"], ReaderMail.PaperIds(mail));
        Assert.NotNull(mail.Headers["Feedback-ID"]);
        var html = mail.HtmlBody!;
        var feedback = ReaderMail.FeedbackLinks(html);
        Assert.Equal(6, feedback.Count);
        Assert.Equal(6, feedback.Distinct().Count());
        // Each paper's two links come after its own title link and before the next paper's.
        string[] ids = ["2608.04001", "2608.04002", "2608.04003"];
        for (var i = 0; i < ids.Length; i++)
        {
            var title = html.IndexOf($"https://huggingface.co/papers/{ids[i]}", StringComparison.Ordinal);
            var next = i + 1 < ids.Length ? html.IndexOf($"https://huggingface.co/papers/{ids[i + 1]}", StringComparison.Ordinal) : html.Length;
            var more = html.IndexOf(System.Net.WebUtility.HtmlEncode(feedback[2 * i]), StringComparison.Ordinal);
            var less = html.IndexOf(System.Net.WebUtility.HtmlEncode(feedback[2 * i + 1]), StringComparison.Ordinal);
            Assert.InRange(more, title, next);
            Assert.InRange(less, more, next);
        }
        Assert.Contains("More like this", html);
        Assert.Contains("Less like this", html);

        // The links work: the preferences link shows this reader's choices, "Less like this" records a vote.
        var preferences = ReaderMail.PreferencesLink(mail);
        Assert.Contains(preferences, html.Replace("&amp;", "&"));
        using var client = app.CreatePublicClient();
        var mine = await client.GetStringAsync(NewsletterApp.PathOf(preferences).Replace("/preferences?", "/api/preferences?"));
        Assert.Equal(email, JsonDocument.Parse(mine).RootElement.GetProperty("email").GetString());
        var vote = await client.PostAsync(NewsletterApp.PathOf(feedback[3]).Replace("/feedback?", "/api/feedback?"), null);
        Assert.Equal(HttpStatusCode.NoContent, vote.StatusCode);
        var after = JsonDocument.Parse(await client.GetStringAsync(NewsletterApp.PathOf(preferences).Replace("/preferences?", "/api/preferences?")));
        var recorded = Assert.Single(after.RootElement.GetProperty("votes").EnumerateArray());
        Assert.Equal("2608.04002", recorded.GetProperty("paper").GetString());
        Assert.Equal(-1, recorded.GetProperty("vote").GetInt32());
        await app.WaitForDigestAsync(body.GetProperty("id").GetInt64(), "sent");
    }

    [Fact]
    public async Task EachReaderGetsWhatTheyChoseAndAReaderForWhomNothingMatchedGetsNoMail()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path);
        await app.ImportAsync(
            Paper("2608.04011", "Diffusion models for video", 95),
            Paper("2608.04012", "A robot hand that learns to grasp", 90, code: "https://github.com/example/grasp"),
            Paper("2608.04013", "Scaling laws of language models", 85),
            Paper("2608.04014", "Latent diffusion without a robot", 80, code: "https://github.com/example/latent"),
            Paper("2608.04015", "Protein folding benchmarks", 75));
        await app.SubscribeAndConfirmAsync("two@example.org", new { maxPapers = 2 });
        await app.SubscribeAndConfirmAsync("code@example.org", new { requireCode = true });
        await app.SubscribeAndConfirmAsync("diffusion@example.org", new { topics = new[] { "Diffusion" } });
        await app.SubscribeAndConfirmAsync("no-robots@example.org", new { mutedTopics = new[] { "robot" } });
        await app.SubscribeAndConfirmAsync("quantum@example.org", new { topics = new[] { "quantum computing" } });
        await app.SubscribeAndConfirmAsync("everything@example.org");

        var (_, body) = await app.TriggerAsync(Day, "daily");
        var view = await app.WaitForDigestAsync(body.GetProperty("id").GetInt64(), "sent");

        IReadOnlyList<string> Got(string email) => ReaderMail.PaperIds(Assert.Single(app.DigestsTo(email)));
        Assert.Equal(["2608.04011", "2608.04012"], Got("two@example.org"));
        Assert.Equal(["2608.04012", "2608.04014"], Got("code@example.org"));
        Assert.Equal(["2608.04011", "2608.04014"], Got("diffusion@example.org"));
        Assert.Equal(["2608.04011", "2608.04013", "2608.04015"], Got("no-robots@example.org"));
        Assert.Equal(["2608.04011", "2608.04012", "2608.04013", "2608.04014", "2608.04015"], Got("everything@example.org"));
        Assert.Empty(app.DigestsTo("quantum@example.org"));
        Assert.Contains("matches “Diffusion”", Assert.Single(app.DigestsTo("diffusion@example.org")).TextBody);

        Assert.Equal(6, view.GetProperty("recipients").GetInt64());
        Assert.Equal(5, view.GetProperty("sent").GetInt64());
        Assert.Equal(1, view.GetProperty("skipped").GetInt64());
        Assert.Equal("daily", view.GetProperty("edition").GetString());
        // The status lists what a reader without preferences gets.
        Assert.Equal(5, view.GetProperty("papers").GetArrayLength());
    }

    [Fact]
    public async Task TheOperatorSeesOneReadersOwnMailInThePreview()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path);
        await app.ImportAsync(Paper("2608.04021", "Diffusion models for video", 95), Paper("2608.04022", "Robot hands", 90));
        await app.SubscribeAndConfirmAsync("robots@example.org", new { topics = new[] { "robot hands" } });
        var (_, body) = await app.TriggerAsync(Day, "daily");
        var id = body.GetProperty("id").GetInt64();
        await app.WaitForDigestAsync(id, "sent");

        using var admin = app.CreateAdminClient();
        var own = await admin.GetStringAsync($"/api/admin/digests/{id}/preview?email=robots@example.org");
        Assert.Contains("https://huggingface.co/papers/2608.04022", own);
        Assert.DoesNotContain("https://huggingface.co/papers/2608.04021", own);
        var all = await admin.GetStringAsync($"/api/admin/digests/{id}/preview");
        Assert.Contains("https://huggingface.co/papers/2608.04021", all);
        var unknown = await admin.GetAsync($"/api/admin/digests/{id}/preview?email=nobody@example.org");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task AnOperatorsDefaultAboveWhatAReaderMayChooseStillFillsTheMail()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, new Dictionary<string, string?> { ["Digest:MaxPapers"] = "40" });
        await app.ImportAsync(PaperFixtures.Day(Day, 45));
        await app.SubscribeAndConfirmAsync("many@example.org");

        var (_, body) = await app.TriggerAsync(Day, "daily");
        await app.WaitForDigestAsync(body.GetProperty("id").GetInt64(), "sent");

        var mail = Assert.Single(app.DigestsTo("many@example.org"));
        Assert.Equal(40, ReaderMail.PaperIds(mail).Count);
        Assert.Contains("40. Paper 40 of 2026-08-04", mail.TextBody);
    }
}
