using System.Net;
using System.Net.Http.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Archive;

/// <summary>
/// A service with 33 daily digests (more than one archive page and than the feed holds) and a
/// weekly one, made through the admin API. The newest day's top paper has a hostile title.
/// (IAsyncLifetime is named again so that xunit calls this InitializeAsync, which runs the base one first.)
/// </summary>
public sealed class ArchiveFixture : AppFixture, IAsyncLifetime
{
    public const string HostileTitle = "<script>alert(\"x\")</script> & Co \u0001\uFFFE]]> tokens";

    public static readonly DateOnly First = new(2026, 3, 1);

    public static IReadOnlyList<DateOnly> Days { get; } = Enumerable.Range(0, 33).Select(First.AddDays).ToList();

    public static DateOnly Newest => Days[^1];

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var papers = Days.SelectMany(day => PaperFixtures.Day(day, 3)).ToList();
        papers.Add(PaperFixtures.Item("2604.02999", HostileTitle, upvotes: 500, listDate: Newest));
        await App.ImportAsync([.. papers]);
        foreach (var day in Days)
        {
            var (status, body, _) = await App.TriggerAsync(day);
            Assert.True(status == HttpStatusCode.Accepted, body.ToString());
        }
        using var admin = App.CreateAdminClient();
        var weekly = await admin.PostAsJsonAsync("/api/admin/digests", new { date = Newest.ToString("yyyy-MM-dd"), edition = "weekly" });
        Assert.Equal(HttpStatusCode.Accepted, weekly.StatusCode);
    }
}
