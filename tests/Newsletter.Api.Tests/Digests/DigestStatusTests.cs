using System.Net;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Digests;

/// <summary>A digest's status only moves forward: a late trigger or resume never flips a running or finished send.</summary>
public sealed class DigestStatusTests : OwnFolderAndSmtp
{
    [Fact]
    public async Task ResumingOrTriggeringASendingDigestLeavesItSendingAndSendsNothingTwice()
    {
        var date = new DateOnly(2026, 8, 5);
        var readers = Enumerable.Range(1, 6).Select(i => $"status{i}@example.org").ToList();
        await using var app = new NewsletterApp(Smtp, Folder.Path, new Dictionary<string, string?> { ["Smtp:MaxConnections"] = "1" });
        await app.ImportSubscribersAsync(readers);
        await app.ImportAsync(PaperFixtures.Day(date, 2));

        Smtp.Hold();
        var (_, body, _) = await app.TriggerAsync(date);
        var id = body.GetProperty("id").GetInt64();
        await Smtp.WaitForHeldMessageAsync();

        using var admin = app.CreateAdminClient();
        var resumed = await admin.PostAsync($"/api/admin/digests/{id}/resume", null);
        Assert.Equal(HttpStatusCode.Accepted, resumed.StatusCode);
        Assert.Equal("sending", (await app.DigestStatusAsync(id)).GetProperty("status").GetString());
        var (again, _, _) = await app.TriggerAsync(date);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal("sending", (await app.DigestStatusAsync(id)).GetProperty("status").GetString());

        Smtp.Release();
        await app.WaitForDigestAsync(id, "sent");
        foreach (var reader in readers) Assert.Single(Smtp.MailTo(reader));

        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/admin/digests/{id}/resume", null)).StatusCode);
        Assert.Equal("sent", (await app.DigestStatusAsync(id)).GetProperty("status").GetString());
    }
}
