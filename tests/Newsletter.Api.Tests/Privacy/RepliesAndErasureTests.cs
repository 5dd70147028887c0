using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Api.Tests.Replies;

namespace Newsletter.Api.Tests.Privacy;

/// <summary>
/// A reader who steered their digest by reply: the export lists the replies handled, and erasing
/// them leaves no reply record, and their old reply address steers nothing.
/// </summary>
public sealed class RepliesAndErasureTests(ReplyFixture fixture) : IClassFixture<ReplyFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task TheRepliesOfAReaderAreInTheirExportAndGoWithTheirErasure()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("replying.leaver@example.org", new DateOnly(2026, 4, 6));
        var reply = ReplyMails.Plain(digest, reader.Email, "weekly\n");
        Assert.Equal("applied", (await App.ReplyAsync(reply)).GetProperty("action").GetString());
        using var browser = App.CreatePublicClient();
        var token = Uri.EscapeDataString(reader.PreferencesToken);

        var data = await browser.GetFromJsonAsync<JsonElement>($"/api/me/export?token={token}");

        var handled = Assert.Single(data.GetProperty("replies").EnumerateArray());
        Assert.Equal(reply.MessageId, handled.GetProperty("messageId").GetString());
        Assert.Equal(JsonValueKind.String, data.GetProperty("lastReplyAnswerAt").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync($"/api/me/erase?token={token}", null)).StatusCode);

        await using (var connection = await App.Database.OpenAsync())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                "SELECT (SELECT count(*) FROM replies WHERE subscriber_id = @id) + (SELECT count(*) FROM reply_answers WHERE subscriber_id = @id)",
                new { id = reader.Id }));
        }
        var again = await App.ReplyAsync(ReplyMails.Plain(digest, reader.Email, "daily\n"));
        Assert.Equal("ignored", again.GetProperty("action").GetString());
        Assert.Empty(await App.WhereAsync("replying.leaver@"));
    }
}
