using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MimeKit;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Replies;

public sealed class KestrelReplyFixture : AppFixture
{
    protected override IDictionary<string, string?> Settings => ReplyMails.Settings;

    protected override bool RealServer => true;
}

/// <summary>POST /api/admin/replies over real Kestrel, which enforces body limits: what it refuses changes nothing.</summary>
public sealed class ReplyEndpointTests(KestrelReplyFixture fixture) : IClassFixture<KestrelReplyFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task AReplyWithAPhotoIsReadAndOneOverTenMegabytesIsRefusedWith413AndChangesNothing()
    {
        var (reader, digest) = await App.ReaderWithDigestAsync("big-reply@example.org", new DateOnly(2026, 7, 6));
        var (photoStatus, applied) = await App.PostReplyAsync(Encoding.UTF8.GetBytes(WithAttachment(ReplyMails.Plain(digest, reader.Email, "papers: 7"), 3)));
        Assert.Equal(HttpStatusCode.OK, photoStatus);
        Assert.Equal("applied", applied.GetProperty("action").GetString());

        var (status, answer) = await App.PostReplyAsync(Encoding.UTF8.GetBytes(WithAttachment(ReplyMails.Plain(digest, reader.Email, "weekly"), 11)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(413, answer.GetProperty("status").GetInt32());
        using var client = App.CreatePublicClient();
        Assert.Equal("daily", (await client.PreferencesAsync(reader)).GetProperty("frequency").GetString());
    }

    private static string WithAttachment(MimeMessage reply, int megabytes)
    {
        reply.Body = new Multipart("mixed") { reply.Body!, new TextPart("plain") { Text = new string('x', megabytes * 1024 * 1024) } };
        return reply.ToString();
    }

    [Fact]
    public async Task TextThatIsNotAMailIsABadRequestAndAMissingKeyUnauthorized()
    {
        var (status, problem) = await App.PostReplyAsync(Encoding.UTF8.GetBytes("weekly\nstop\n"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Not a mail message", problem.GetProperty("title").GetString());

        using var anonymous = App.CreatePublicClient();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("From: a@example.org\r\n\r\nweekly\r\n"));
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/admin/replies", content)).StatusCode);
    }
}
