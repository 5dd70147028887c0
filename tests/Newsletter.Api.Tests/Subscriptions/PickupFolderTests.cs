using System.Net;
using System.Net.Http.Json;
using MimeKit;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Subscriptions;

/// <summary>Without an SMTP host every mail lands as an .eml file a mail client can open.</summary>
public sealed class PickupFolderTests : OwnFolderAndSmtp
{
    [Fact]
    public async Task ConfirmationMailIsWrittenAsAWholeEmlFile()
    {
        var outbox = Path.Combine(Folder.Path, "outbox");
        await using var app = new NewsletterApp(Smtp, Folder.Path, new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "",
            ["Smtp:PickupDirectory"] = outbox,
        });
        using var client = app.CreatePublicClient();
        var response = await client.PostAsJsonAsync("/api/subscriptions", new { email = "pickup@example.org" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var file = WaitForFile(outbox, "*.eml", TimeSpan.FromSeconds(30));
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("pickup@example.org", message.To.Mailboxes.Single().Address);
        Assert.Contains("Confirm", message.Subject);
        Assert.Contains("/subscriptions/confirm?token=", message.TextBody);
        Assert.Empty(Directory.GetFiles(outbox, "*.tmp"));
        Assert.Empty(Smtp.Received);
    }

    /// <summary>Waits on the folder's change events, looking again after each (or every 200 ms, for one missed before the watch began).</summary>
    private static string WaitForFile(string folder, string pattern, TimeSpan timeout)
    {
        using var watcher = new FileSystemWatcher(Directory.CreateDirectory(folder).FullName, pattern);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var file = Directory.GetFiles(folder, pattern).FirstOrDefault();
            if (file is not null) return file;
            watcher.WaitForChanged(WatcherChangeTypes.Created | WatcherChangeTypes.Renamed, 200);
        }
        throw new TimeoutException($"No {pattern} file appeared in {folder}.");
    }
}
