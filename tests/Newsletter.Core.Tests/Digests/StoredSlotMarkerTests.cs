using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using Newsletter.Core.Data;
using Newsletter.Core.Delivery;
using Newsletter.Core.Digests;
using Newsletter.Core.Email;
using Newsletter.Core.Ranking;
using Newsletter.Core.Security;

namespace Newsletter.Core.Tests.Digests;

/// <summary>A digest is sent from its stored rendering, also when it was made before slot markers existed.</summary>
public sealed class StoredSlotMarkerTests : OwnFolder
{
    [Fact]
    public async Task ADigestMadeBeforeTheUpgradeStillGetsEachReadersLinkWhereItsOldMarkerStands()
    {
        var path = Path.Combine(Folder, "old.db");
        await using (var old = new SqliteConnection($"Data Source={path}"))
        {
            await old.OpenAsync();
            await old.ExecuteAsync("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);");
            await old.ExecuteAsync(await File.ReadAllTextAsync(ScriptPath("0001_subscribers.sql")));
            await old.ExecuteAsync(await File.ReadAllTextAsync(ScriptPath("0002_papers_digests.sql")));
            await old.ExecuteAsync("INSERT INTO schema_migrations VALUES (1, '0001_subscribers', '2026-01-01T00:00:00Z'), (2, '0002_papers_digests', '2026-01-01T00:00:00Z')");
            await old.ExecuteAsync("""
                INSERT INTO digests (id, date, status, subject, html_body, text_body, archive_html, created_at)
                VALUES (7, '2026-05-20', 'sending', 'Daily Papers 2026-05-20', @html, @text, '', '2026-05-20T08:00:00Z')
                """, new
            {
                html = $"<p><a href=\"{SlottedText.LegacyMarker}\">Unsubscribe</a></p>",
                text = $"Unsubscribe in one click: {SlottedText.LegacyMarker}\n",
            });
        }

        var db = new Db($"Data Source={path}");
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        var digest = (await new DigestStore(db, TimeProvider.System).FindAsync(7, CancellationToken.None))!;
        Assert.Equal(SlottedText.LegacyMarker, digest.SlotMarker);

        var secrets = new AppSecrets();
        secrets.Set(new SigningKey(new byte[32]), new AdminKey(new byte[32]));
        var factory = new DigestMessageFactory(digest, [], new DigestPool([]), MailboxAddress.Parse("Daily Papers <papers@localhost>"), "Daily Papers",
            new PublicUrls("http://newsletter.test/"), new SubscriberTokens(secrets, TimeProvider.System), defaultMaxPapers: 10);
        using var written = new MemoryStream();
        factory.Create(new DueDelivery { SubscriberId = 42, Email = "reader@example.org" })!.WriteTo(written);
        var message = MimeMessage.Load(new MemoryStream(written.ToArray()));

        var link = factory.UnsubscribeUrl(42);
        Assert.StartsWith("http://newsletter.test/unsubscribe?token=", link);
        Assert.Equal($"<{link}>", message.Headers["List-Unsubscribe"]);
        Assert.Equal($"<p><a href=\"{link}\">Unsubscribe</a></p>", message.HtmlBody);
        Assert.Equal($"Unsubscribe in one click: {link}\n", message.TextBody);
    }

    private static string ScriptPath(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Newsletter.sln"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "src", "Newsletter.Core", "Data", "Migrations", "Sqlite", name);
    }
}
