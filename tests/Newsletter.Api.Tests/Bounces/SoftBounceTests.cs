using Microsoft.Extensions.Time.Testing;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Bounces;

/// <summary>Soft bounces count over a window: three within fourteen days bounce the address, older ones do not count.</summary>
public sealed class SoftBounceTests : OwnFolderAndSmtp
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 8, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ThreeSoftBouncesWithinFourteenDaysMarkTheAddressBounced()
    {
        await using var app = new NewsletterApp(Smtp, Folder.Path, ReturnedMails.Settings, _clock);
        const string reader = "mailbox-full@example.org";
        await app.SubscribeAndConfirmAsync(reader);
        var confirmation = Smtp.MailTo(reader).Single();

        Assert.Equal("soft", await app.AnswerAsync(ReturnedMails.Dsn(confirmation, "4.2.2")));
        _clock.Advance(TimeSpan.FromDays(15));
        Assert.Equal("soft", await app.AnswerAsync(ReturnedMails.Dsn(confirmation, "5.2.2")));
        _clock.Advance(TimeSpan.FromDays(1));
        var third = ReturnedMails.Dsn(confirmation, "4.2.2");
        Assert.Equal("soft", await app.AnswerAsync(third));
        // Handed in twice, still one bounce; the first is out of the window: two count.
        Assert.Equal("soft", await app.AnswerAsync(third));
        Assert.Equal("active", await app.StatusOfAsync(reader));

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal("soft", await app.AnswerAsync(ReturnedMails.Dsn(confirmation, "4.4.7", "delayed")));
        Assert.Equal("bounced", await app.StatusOfAsync(reader));
    }
}
