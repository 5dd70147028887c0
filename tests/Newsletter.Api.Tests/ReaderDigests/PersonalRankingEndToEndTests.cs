using System.Net;
using Newsletter.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Newsletter.Api.Tests.ReaderDigests;

/// <summary>
/// Votes from inside the mail shape the next digest: a reader who says "more" to one field and
/// "less" to others gets mostly that field next, even where it has fewer upvotes, while a reader
/// who never voted still gets the upvote order.
/// </summary>
public sealed class PersonalRankingEndToEndTests(ITestOutputHelper output) : OwnFolderAndSmtp
{
    private static readonly DateOnly First = new(2026, 9, 1);
    private static readonly DateOnly Second = First.AddDays(1);

    private static readonly string[][] Fields =
    [
        ["diffusion", "denoising", "latent", "sampler", "image synthesis", "noise schedule", "inpainting", "guidance"],
        ["robot", "grasping", "locomotion", "policy", "manipulation", "quadruped", "trajectory", "reward"],
        ["language model", "reasoning", "prompting", "tokenizer", "decoding", "retrieval", "summarization", "hallucination"],
        ["protein", "molecule", "docking", "ligand", "enzyme", "binding affinity", "crystal", "atoms"],
    ];

    // Field 0 is the one the reader likes; on the second day it is the least upvoted field.
    private static (List<object> Items, Dictionary<string, int> FieldOf, List<string> ByUpvotes) Day(DateOnly date, int seed, bool likedFieldUnpopular)
    {
        var random = new Random(seed);
        var items = new List<object>();
        var fieldOf = new Dictionary<string, int>();
        var upvotes = new Dictionary<string, int>();
        for (var field = 0; field < Fields.Length; field++)
        {
            for (var n = 0; n < 12; n++)
            {
                var id = $"{date:yyMM}.{date.Day:00}{field}{n:00}";
                var words = Fields[field].OrderBy(_ => random.Next()).ToArray();
                var votes = likedFieldUnpopular && field == 0 ? random.Next(5, 40) : random.Next(20, 120);
                var item = PaperFixtures.Item(id, $"Efficient {words[0]} with {words[1]} for {words[2]}", votes, date,
                    aiSummary: $"We study {words[3]} and {words[4]} for {words[5]}, improving {words[6]} on a standard benchmark with {words[7]}.");
                items.Add(item);
                fieldOf[id] = field;
                upvotes[id] = votes;
            }
        }
        // Ties: the same comments and publication time here, so the larger id first, as the service orders them.
        return (items, fieldOf, upvotes.OrderByDescending(p => p.Value).ThenByDescending(p => p.Key, StringComparer.Ordinal).Select(p => p.Key).ToList());
    }

    [Fact]
    public async Task AReaderWhoVotesForOneFieldGetsMostlyThatFieldNextWhileAReaderWithoutVotesGetsTheUpvoteOrder()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path);
        var (firstItems, firstFields, _) = Day(First, seed: 1, likedFieldUnpopular: false);
        await app.ImportAsync(firstItems.ToArray());
        await app.SubscribeAndConfirmAsync("learner@example.org", new { maxPapers = 30 });
        await app.SubscribeAndConfirmAsync("plain@example.org");

        var (_, day1) = await app.TriggerAsync(First, "daily");
        await app.WaitForDigestAsync(day1.GetProperty("id").GetInt64(), "sent");
        var mail = Assert.Single(app.DigestsTo("learner@example.org"));
        var ids = ReaderMail.PaperIds(mail);
        var links = ReaderMail.FeedbackLinks(mail.HtmlBody!);
        Assert.Equal(2 * ids.Count, links.Count);

        // From the mail: "More like this" on four papers of the liked field, "Less like this" on three others.
        using var client = app.CreatePublicClient();
        var liked = ids.Select((id, i) => (id, i)).Where(p => firstFields[p.id] == 0).Take(4).ToList();
        var disliked = ids.Select((id, i) => (id, i)).Where(p => firstFields[p.id] != 0).Take(3).ToList();
        Assert.Equal(4, liked.Count);
        foreach (var (_, i) in liked)
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(NewsletterApp.PathOf(links[2 * i]), null)).StatusCode);
        foreach (var (_, i) in disliked)
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(NewsletterApp.PathOf(links[2 * i + 1]), null)).StatusCode);
        await app.PatchPreferencesAsync(ReaderMail.PreferencesLink(mail), new { maxPapers = 10 });

        var (secondItems, secondFields, secondOrder) = Day(Second, seed: 2, likedFieldUnpopular: true);
        await app.ImportAsync(secondItems.ToArray());
        var (_, day2) = await app.TriggerAsync(Second, "daily");
        await app.WaitForDigestAsync(day2.GetProperty("id").GetInt64(), "sent");

        var learned = ReaderMail.PaperIds(app.DigestsTo("learner@example.org")[^1]);
        Assert.Equal(10, learned.Count);
        var precision = learned.Count(id => secondFields[id] == 0) / 10.0;
        var byUpvotesOnly = secondOrder.Take(10).Count(id => secondFields[id] == 0) / 10.0;
        output.WriteLine($"precision@10 in the liked field: {precision:0.0} (by upvotes alone it would be {byUpvotesOnly:0.0})");
        Assert.True(precision >= 0.8, $"precision@10 {precision}");
        Assert.Contains("you liked", app.DigestsTo("learner@example.org")[^1].TextBody);

        Assert.Equal(secondOrder.Take(10), ReaderMail.PaperIds(app.DigestsTo("plain@example.org")[^1]));
    }

    [Fact]
    public async Task TheWhyLineQuotingAHostileTitleIsTextInTheHtmlPart()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path);
        const string hostile = "Diffusion <script>alert(1)</script> denoising";
        await app.ImportAsync(
            PaperFixtures.Item("2609.01001", hostile, 50, First, aiSummary: "Diffusion denoising for images with a sampler."),
            PaperFixtures.Item("2609.01002", "Diffusion denoising <img src=x onerror=alert(2)>", 40, First, aiSummary: "Denoising diffusion sampler."),
            PaperFixtures.Item("2609.01003", "Latent diffusion denoising & sampling", 30, First, aiSummary: "Diffusion sampler for latent images."));
        await app.SubscribeAndConfirmAsync("voter@example.org");
        var (_, day1) = await app.TriggerAsync(First, "daily");
        await app.WaitForDigestAsync(day1.GetProperty("id").GetInt64(), "sent");
        var mail = Assert.Single(app.DigestsTo("voter@example.org"));
        var links = ReaderMail.FeedbackLinks(mail.HtmlBody!);
        using var client = app.CreatePublicClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync(NewsletterApp.PathOf(links[2 * i]).Replace("/feedback?", "/api/feedback?"), null)).StatusCode);

        await app.ImportAsync(PaperFixtures.Item("2609.02001", "Diffusion denoising sampler for images", 5, Second,
            aiSummary: "A diffusion denoising sampler."));
        var (_, day2) = await app.TriggerAsync(Second, "daily");
        await app.WaitForDigestAsync(day2.GetProperty("id").GetInt64(), "sent");

        var next = app.DigestsTo("voter@example.org")[^1];
        Assert.Contains("you liked", next.TextBody);
        Assert.DoesNotContain("<script>", next.HtmlBody);
        Assert.DoesNotContain("<img src=x", next.HtmlBody);
        Assert.Contains("you liked", next.HtmlBody);
    }
}
