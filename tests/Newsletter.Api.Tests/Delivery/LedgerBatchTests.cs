using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Delivery;

/// <summary>
/// The send reads the ledger batch by batch. A list that ends exactly at a batch's end is the case
/// where reading on finds nothing: that must end the reading, not start it again from the first
/// row while those rows' messages are still on their way (which sent them twice).
/// </summary>
public sealed class LedgerBatchTests : OwnFolderAndSmtp
{
    [Theory]
    [InlineData(40, 10)]
    [InlineData(35, 10)]
    public async Task EveryReaderGetsTheDigestOnceWhereverTheListEndsInABatch(int readers, int batch)
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, new Dictionary<string, string?> { ["Digest:BatchSize"] = batch.ToString() });
        var date = new DateOnly(2026, 10, 20);
        var emails = Enumerable.Range(1, readers).Select(i => $"batch{i:000}@example.org").ToList();
        await app.ImportSubscribersAsync(emails);
        await app.ImportAsync(PaperFixtures.Day(date, 3));

        var (_, body, _) = await app.TriggerAsync(date);
        var done = await app.WaitForDigestAsync(body.GetProperty("id").GetInt64(), "sent");

        Assert.Equal(readers, done.GetProperty("sent").GetInt64());
        Assert.All(emails, e => Assert.Single(Smtp.MailTo(e)));
        Assert.Equal(readers, Smtp.Received.Count(m => m.To.StartsWith("batch", StringComparison.Ordinal)));
    }
}
