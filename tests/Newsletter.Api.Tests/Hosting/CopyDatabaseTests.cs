using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Api.Tests.Infrastructure;
using Npgsql;

namespace Newsletter.Api.Tests.Hosting;

/// <summary>
/// <c>copy-database</c>, run as an operator runs it (its own process, the service's settings in the
/// environment): a service that ran on SQLite goes on on PostgreSQL as if nothing happened, its
/// readers' links in mail already sent included. The source is always a SQLite file, whatever
/// engine the rest of the suite runs on; the target is a database of the test PostgreSQL server.
/// </summary>
public sealed class CopyDatabaseTests : OwnFolderAndSmtp
{
    private string SqliteFile => Path.Combine(Folder.Path, "newsletter.db");

    // No keys configured: the signing key and the admin key's hash are generated and kept in
    // settings, so only a faithful copy of that table keeps the links and the key working.
    private Dictionary<string, string?> OnSqlite() => new()
    {
        ["Database:Provider"] = "Sqlite",
        ["ConnectionStrings:Newsletter"] = $"Data Source={SqliteFile}",
        ["Newsletter:AdminApiKey"] = "",
        ["Newsletter:SigningKey"] = "",
    };

    // On PostgreSQL the service keeps its own files (template cache, data protection keys) in its
    // content root, not beside a database file: here the test's folder, not the project's.
    private Dictionary<string, string?> OnPostgres(string connectionString) => new()
    {
        ["Database:Provider"] = "Postgres",
        [Microsoft.AspNetCore.Hosting.WebHostDefaults.ContentRootKey] = Folder.Path,
        ["ConnectionStrings:Newsletter"] = connectionString,
        ["Newsletter:AdminApiKey"] = "",
        ["Newsletter:SigningKey"] = "",
    };

    [Fact]
    public async Task LinksInSentMailKeepWorkingAndNoDigestGoesOutTwiceAfterTheCopy()
    {
        var date = new DateOnly(2026, 8, 3);
        string adminKey, unsubscribeLink, preferencesLink;
        long digestId;
        JsonElement statusBefore;
        await using (var sqlite = new NewsletterApp(Smtp, Folder.Path, OnSqlite()))
        {
            adminKey = await GeneratedAdminKeyAsync(sqlite);
            using var admin = AdminClient(sqlite, adminKey);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/admin/papers", Json(PaperFixtures.Day(date, 3)))).StatusCode);
            await sqlite.JoinAsync("ana@example.org");
            await sqlite.JoinAsync("ben@example.org");
            var triggered = await admin.PostAsJsonAsync("/api/admin/digests", new { date = "2026-08-03" });
            Assert.Equal(HttpStatusCode.Accepted, triggered.StatusCode);
            digestId = (await triggered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            statusBefore = await WaitUntilSentAsync(admin, digestId);
            var mail = await Smtp.WaitForMailToAsync("ana@example.org", "2026-08-03");
            unsubscribeLink = mail.Message.Headers["List-Unsubscribe"]!.Trim('<', '>');
            preferencesLink = ReaderMail.PreferencesLink(mail.Message);
        }
        var mailsBefore = Smtp.Received.Count;
        var target = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("copy");

        var (exit, output, errors) = await CopyAsync(target);
        Assert.True(exit == 0, errors);
        Assert.Matches(@"subscribers\s+2 rows", output);
        Assert.Matches(@"deliveries\s+2 rows", output);

        await using var postgres = new NewsletterApp(Smtp, Folder.Path, OnPostgres(target));
        using (var admin = AdminClient(postgres, adminKey))
        {
            Assert.Equal(Counts(statusBefore), Counts(await admin.GetFromJsonAsync<JsonElement>($"/api/admin/digests/{digestId}")));
            var again = await admin.PostAsJsonAsync("/api/admin/digests", new { date = "2026-08-03" });
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(digestId, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        }
        Assert.DoesNotContain(postgres.Logs.Lines, l => l.Contains("Generated admin API key"));

        using var reader = postgres.CreatePublicClient();
        var preferences = await reader.GetFromJsonAsync<JsonElement>(NewsletterApp.PathOf(preferencesLink).Replace("/preferences?", "/api/preferences?"));
        Assert.Equal("ana@example.org", preferences.GetProperty("email").GetString());
        var unsubscribed = await reader.PostAsync(NewsletterApp.PathOf(unsubscribeLink),
            new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
        Assert.Equal(["ana@example.org unsubscribed", "ben@example.org active"], await SubscribersAsync(target));
        // Nothing was sent again: the same date's digest was answered, not made anew.
        Assert.Equal(mailsBefore, Smtp.Received.Count);
        await (await PostgresServer.SharedAsync()).DropDatabaseAsync(target);
    }

    [Fact]
    public async Task ATargetThatHoldsAnotherServicesDataIsRefusedAndLeftAsItWas()
    {
        await using (var sqlite = new NewsletterApp(Smtp, Folder.Path, OnSqlite()))
            await sqlite.JoinAsync("from-sqlite@example.org");
        var server = await PostgresServer.SharedAsync();
        var target = await server.CreateDatabaseAsync("copy_in_use");
        await using (var other = new NewsletterApp(Smtp, Directory.CreateDirectory(Path.Combine(Folder.Path, "other")).FullName, OnPostgres(target)))
            await other.JoinAsync("already-here@example.org");
        var before = await SubscribersAsync(target);

        var (exit, output, errors) = await CopyAsync(target);

        Assert.Equal(2, exit);
        Assert.Contains("not empty", Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.DoesNotContain("rows", output);
        Assert.Equal(["already-here@example.org active"], before);
        Assert.Equal(before, await SubscribersAsync(target));
        await server.DropDatabaseAsync(target);
    }

    [Fact]
    public async Task NewSubscribersTakeTheIdsAfterTheCopiedOnesAndAfterThoseTheSweepDeleted()
    {
        var ids = new List<long>();
        await using (var sqlite = new NewsletterApp(Smtp, Folder.Path, OnSqlite()))
        {
            foreach (var email in new[] { "one@example.org", "two@example.org", "three@example.org" })
                ids.Add((await sqlite.JoinAsync(email)).Id);
            // A sign-up nobody confirmed, deleted by the retention sweep: its confirmation mail's
            // return path names its id for ever, so no one may get that id after the copy either.
            await sqlite.SubscribeAsync("never-confirmed@example.org");
            ids.Add(ids.Max() + 1);
            Assert.Equal(1, await sqlite.Services.GetRequiredService<Newsletter.Core.Subscribers.SubscriberStore>()
                .DeleteUnconfirmedAsync(DateTimeOffset.UtcNow.AddDays(1)));
        }
        var target = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("copy_ids");
        var (exit, _, errors) = await CopyAsync(target);
        Assert.True(exit == 0, errors);

        await using var postgres = new NewsletterApp(Smtp, Folder.Path, OnPostgres(target));
        var newcomer = await postgres.JoinAsync("four@example.org");

        Assert.Equal(ids.Max() + 1, newcomer.Id);
        using var client = postgres.CreatePublicClient();
        Assert.Equal("four@example.org", (await client.PreferencesAsync(newcomer)).GetProperty("email").GetString());
        Assert.Equal(["four@example.org active", "one@example.org active", "three@example.org active", "two@example.org active"],
            await SubscribersAsync(target));
        await (await PostgresServer.SharedAsync()).DropDatabaseAsync(target);
    }

    /// <summary>Runs <c>Newsletter.Api.dll copy-database --to TARGET</c> in the test's folder with the SQLite service's settings.</summary>
    private async Task<(int Exit, string Output, string Errors)> CopyAsync(string target)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Newsletter.Api.dll"), "copy-database", "--to", target])
        {
            WorkingDirectory = Folder.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ConnectionStrings__Newsletter"] = $"Data Source={SqliteFile}";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>Every subscriber of the PostgreSQL database with their status, read directly.</summary>
    private static async Task<string[]> SubscribersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT email || ' ' || status FROM subscribers ORDER BY email COLLATE \"C\"", connection);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return [.. rows];
    }

    private static async Task<string> GeneratedAdminKeyAsync(NewsletterApp app)
    {
        using var client = app.CreatePublicClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var line = Assert.Single(app.Logs.Lines, l => l.Contains("Generated admin API key"));
        return line[(line.LastIndexOf(' ') + 1)..];
    }

    private static HttpClient AdminClient(NewsletterApp app, string key)
    {
        var client = app.CreatePublicClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    private static async Task<JsonElement> WaitUntilSentAsync(HttpClient admin, long id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/digests/{id}");
            if (status.GetProperty("status").GetString() == "sent") return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Digest {id} is {status}, not sent.");
            await Task.Delay(50);
        }
    }

    /// <summary>What the digest status says was done, leaving out which process did it.</summary>
    private static string Counts(JsonElement status) => string.Join(", ",
        new[] { "date", "status", "recipients", "sent", "failed", "pending", "skipped" }.Select(p => $"{p}={status.GetProperty(p)}"));

    private static StringContent Json(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
