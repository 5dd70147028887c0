using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Privacy;

/// <summary>
/// "No trace" down to the file: once an erasure is written back into the database file, the file's
/// bytes hold the address nowhere (not in a freed cell, an index page or the search index).
/// </summary>
[SqliteOnly]
public sealed class ErasedBytesTests : OwnFolderAndSmtp
{
    [Fact]
    public async Task AfterTheWriteBackTheDatabaseFileHoldsNoByteOfTheErasedAddress()
    {
        // Trigrams no other text in the file has: the address search stores addresses as trigrams.
        const string email = "qzxjv.wkfp@example.org";
        await using var app = new NewsletterApp(Smtp, Folder.Path);
        // Others around them, so the address sits in pages that stay in use.
        for (var i = 0; i < 40; i++) await app.JoinAsync($"neighbour{i}@example.org");
        var reader = await app.JoinAsync(email);
        for (var i = 40; i < 80; i++) await app.JoinAsync($"neighbour{i}@example.org");
        using var client = app.CreatePublicClient();

        var erase = await client.PostAsync($"/api/me/erase?token={Uri.EscapeDataString(reader.PreferencesToken)}", null);

        Assert.Equal(HttpStatusCode.NoContent, erase.StatusCode);
        await using (var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync();
        }
        var bytes = await File.ReadAllBytesAsync(app.DatabasePath);
        Assert.True(bytes.AsSpan().IndexOf("neighbour41@example.org"u8) >= 0, "the scan must see addresses that stay");
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(email)));
        foreach (var piece in new[] { "qzx", "zxj", "xjv", "wkf", "kfp" })
            Assert.True(bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(piece)) < 0, $"the trigram '{piece}' of the address is still in the file");
    }
}
