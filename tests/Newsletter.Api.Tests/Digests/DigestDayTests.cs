using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Digests;
using Newsletter.Core.Scheduling;

namespace Newsletter.Api.Tests.Digests;

/// <summary>The digest's day in its time zone, and the Daily Papers lists, which are kept by UTC date.</summary>
public sealed class DigestDayTests : OwnFolderSmtpAndPapersApi
{
    [Fact]
    public async Task EastOfUtcTheMorningDigestFetchesAndSendsTheNewestDailyList()
    {
        // 00:30 on 11 June in Tokyo is 15:30 on 10 June in UTC: the list of the 11th has not begun.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 10, 15, 30, 0, TimeSpan.Zero));
        var listDay = new DateOnly(2026, 6, 10);
        Api.Plan("2026-06-10", 0, FakeDailyPapersApi.Json(JsonSerializer.Serialize(PaperFixtures.Day(listDay, 3))));
        await using var app = new NewsletterApp(Smtp, Folder.Path, new Dictionary<string, string?>
        {
            ["Digest:TimeZone"] = "Asia/Tokyo",
            ["PaperSources:HuggingFace:Enabled"] = "true",
            ["PaperSources:HuggingFace:BaseUrl"] = Api.BaseUrl,
            ["PaperSources:HuggingFace:Cron"] = "0 0 3 1 1 ? 2099",
        }) { Clock = clock };

        await app.Services.GetRequiredService<DailyDigest>().RunAsync(clock.GetUtcNow(), CancellationToken.None);

        Assert.Contains("date=2026-06-10&p=0&limit=100", Api.Requests);
        Assert.Equal(0, Api.RequestsFor("2026-06-11"));
        var digest = await app.Services.GetRequiredService<DigestService>().FindByDateAsync(listDay, DigestEdition.Daily, CancellationToken.None);
        Assert.NotNull(digest);
        var view = await app.DigestStatusAsync(digest.Id);
        Assert.Equal(["2606.10001", "2606.10002", "2606.10003"],
            view.GetProperty("papers").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        // Sending is the scheduler's, which runs on the same stopped clock; the preview is that mail.
        using var admin = app.CreateAdminClient();
        var preview = await admin.GetStringAsync($"/api/admin/digests/{digest.Id}/preview");
        Assert.Contains("2026-06-10", preview);
        Assert.Contains("https://arxiv.org/abs/2606.10001", preview);
    }
}
