using System.Net;
using MimeKit;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Bounces;

public sealed class KestrelReturnPathFixture : AppFixture
{
    protected override IDictionary<string, string?> Settings => ReturnedMails.Settings;

    protected override bool RealServer => true;
}

/// <summary>Over real Kestrel, which enforces body limits: a returned mail over 10 MB is refused and changes nothing.</summary>
public sealed class BounceBodyLimitTests(KestrelReturnPathFixture fixture) : IClassFixture<KestrelReturnPathFixture>
{
    [Fact]
    public async Task AReturnedMailOverTenMegabytesIsRefusedWith413()
    {
        var app = fixture.App;
        await app.SubscribeAndConfirmAsync("huge-bounce@example.org");
        var confirmation = app.Smtp.MailTo("huge-bounce@example.org").Single();
        var dsn = ReturnedMails.Dsn(confirmation, "5.1.1");
        ((Multipart)dsn.Body!).Add(new TextPart("plain") { Text = new string('x', 11 * 1024 * 1024) });
        using var bytes = new MemoryStream();
        await dsn.WriteToAsync(bytes);

        var (status, body) = await app.PostReturnedAsync(bytes.ToArray(), "message/rfc822");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(413, body.GetProperty("status").GetInt32());
        Assert.Equal("active", await app.StatusOfAsync("huge-bounce@example.org"));
    }
}
