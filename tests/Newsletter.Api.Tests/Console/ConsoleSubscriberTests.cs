using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Subscribers;

namespace Newsletter.Api.Tests.AdminConsole;

/// <summary>The console's subscriber pages: search, keyset pages of 50, history, CSV export and import.</summary>
public sealed partial class ConsoleSubscriberTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task PagesOfFiftyFollowEachOtherByIdWithoutGapOrRepeat()
    {
        var emails = Enumerable.Range(0, 120).Select(i => $"pager-{i:000}@paging.example").ToList();
        await App.ImportSubscribersAsync(emails);
        using var client = await ConsoleClient.SignedInAsync(App);

        var seen = new List<string>();
        var pages = 0;
        string? next = "/admin/subscribers?q=paging.example&status=active";
        while (next is not null)
        {
            var html = await client.GetStringAsync(next);
            var rows = Addresses().Matches(html).Select(m => m.Groups[1].Value).ToList();
            Assert.True(rows.Count <= 50);
            seen.AddRange(rows);
            pages++;
            var link = NextLink().Match(html);
            next = link.Success ? WebUtility.HtmlDecode(link.Groups[1].Value) : null;
            if (next is not null) Assert.Contains("after=", next);
        }

        Assert.Equal(3, pages);
        Assert.Equal(emails, seen);
    }

    [Fact]
    public async Task SearchFindsAnyPartOfAnAddressInEitherCaseLiterallyAndFiltersByStatus()
    {
        await App.ImportSubscribersAsync(["Ada.Lovelace@search.example", "grace.hopper@search.example", "al@x.example",
            "under_score@wild.example", "underXscore@wild.example", "per%cent@wild.example"]);
        await UnsubscribeAsync("grace.hopper@search.example");
        using var client = await ConsoleClient.SignedInAsync(App);

        var byPart = await client.GetStringAsync("/admin/subscribers?q=lovelace");
        var byDomain = await client.GetStringAsync("/admin/subscribers?q=SEARCH.example&status=unsubscribed");
        var byShortPart = await client.GetStringAsync("/admin/subscribers?q=l@");
        var byQuote = await client.GetStringAsync("/admin/subscribers?q=%22lovelace%22%20OR%20x");
        var byUnderscore = await client.GetStringAsync("/admin/subscribers?q=under_s");
        var byPercent = await client.GetStringAsync("/admin/subscribers?q=r%25c");

        Assert.Equal(["Ada.Lovelace@search.example"], Addresses().Matches(byPart).Select(m => m.Groups[1].Value));
        Assert.Equal(["grace.hopper@search.example"], Addresses().Matches(byDomain).Select(m => m.Groups[1].Value));
        Assert.Equal(["al@x.example"], Addresses().Matches(byShortPart).Select(m => m.Groups[1].Value));
        Assert.Empty(Addresses().Matches(byQuote));
        Assert.Equal(["under_score@wild.example"], Addresses().Matches(byUnderscore).Select(m => m.Groups[1].Value));
        Assert.Equal(["per%cent@wild.example"], Addresses().Matches(byPercent).Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task ExportGivesEveryAddressOfTheStatusAsCsv()
    {
        await App.ImportSubscribersAsync(["export-a@export.example", "export-b@export.example", "=cmd@export.example"]);
        await UnsubscribeAsync("export-b@export.example");
        using var client = await ConsoleClient.SignedInAsync(App);

        var answer = await client.GetAsync("/admin/subscribers/export?status=unsubscribed");
        var csv = await answer.Content.ReadAsStringAsync();
        var active = await client.GetStringAsync("/admin/subscribers/export?status=active");

        Assert.Equal("text/csv", answer.Content.Headers.ContentType!.MediaType);
        Assert.Contains("attachment", answer.Content.Headers.ContentDisposition!.ToString());
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("email,status,created_at,confirmed_at", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("export-b@export.example,unsubscribed,"));
        Assert.DoesNotContain(lines, l => l.StartsWith("export-a@"));
        Assert.Contains("\nexport-a@export.example,active,", active);
        Assert.Contains("\n'=cmd@export.example,active,", active);
    }

    [Fact]
    public async Task AnUploadedCsvIsImportedThroughTheAdminImport()
    {
        using var client = await ConsoleClient.SignedInAsync(App);
        var token = await client.FormTokenAsync("/admin/subscribers");
        var upload = new MultipartFormDataContent
        {
            { new StringContent(token.Value), token.Key },
            { new StringContent("name,email\nNew,upload-new@upload.example\nBad,not-an-address\n"), "file", "list.csv" },
        };

        var answer = await client.PostAsync("/admin/subscribers/import", upload);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("Imported 1, skipped 1.", await answer.Content.ReadAsStringAsync());
        var found = await client.GetStringAsync("/admin/subscribers?q=upload-new&status=active");
        Assert.Contains("upload-new@upload.example", found);
        var history = await client.GetStringAsync(HistoryLink().Match(found).Groups[1].Value);
        Assert.Contains("import", history);
    }

    /// <summary>The reader leaves, recorded by the subscriber store as the unsubscribe link would.</summary>
    private async Task UnsubscribeAsync(string email)
    {
        var store = App.Services.GetRequiredService<SubscriberStore>();
        var found = await App.Services.GetRequiredService<SubscriberSearch>().FindAsync(email, null, 0, 1, CancellationToken.None);
        Assert.True(await store.UnsubscribeAsync(found.Single().Id, new ConsentEvidence(ConsentSource.Page, null, null)));
    }

    [GeneratedRegex("""<td><a href="/admin/subscribers/\d+">([^<]+)</a></td>""")]
    private static partial Regex Addresses();

    [GeneratedRegex("""<a rel="next" id="next-page" href="([^"]+)">""")]
    private static partial Regex NextLink();

    [GeneratedRegex("""<a href="(/admin/subscribers/\d+)">""")]
    private static partial Regex HistoryLink();
}
