using MimeKit;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Delivery;
using Newsletter.Core.Email;
using Newsletter.Core.Options;

namespace Newsletter.Api.Tests.Delivery;

/// <summary>
/// A digest body goes to the relay's DATA stream stuffed by the service itself, not by MailKit's
/// filter: through a real SMTP server, lines that start with '.' (a lone "." would otherwise end the
/// message early) arrive as written, and the session goes on with the next message.
/// </summary>
public sealed class DotStuffingDeliveryTests
{
    private static readonly string Marker = PersonalSlots.NewMarker();

    private static string Lede => SlottedText.MarkerOf(Marker, SlotKind.Lede);

    private static readonly string Text = $".starts with a dot\n.\n..\nA line.\n{Lede}\n.\nthe end\n";

    [Fact]
    public async Task LinesThatStartWithADotArriveAsWritten()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        var template = new PreEncodedAlternative.Template(SlottedText.Cut(Text, Marker), SlottedText.Cut($"<pre>\n{Text}</pre>\n", Marker));
        var transport = new SmtpTransport(new SmtpOptions { Host = "127.0.0.1", Port = relay.Port, Security = SmtpSecurity.None });

        await using (var connection = await transport.ConnectAsync(CancellationToken.None))
        {
            // The same connection twice: the first message's data ended where it should.
            await connection.SendAsync(Mail(template, "first", ".a value that starts with a dot"), CancellationToken.None);
            await connection.SendAsync(Mail(template, "second", "."), CancellationToken.None);
        }

        var first = await relay.WaitForMailToAsync("reader@example.org", "first");
        var second = await relay.WaitForMailToAsync("reader@example.org", "second");
        Assert.Equal(Text.Replace(Lede, ".a value that starts with a dot"), Lines(first.Message.TextBody));
        Assert.Equal(Text.Replace(Lede, "."), Lines(second.Message.TextBody));
        Assert.Equal($"<pre>\n{Text.Replace(Lede, ".")}</pre>\n", Lines(second.Message.HtmlBody));
        Assert.Equal(2, relay.Received.Count);
    }

    private static OutgoingMail Mail(PreEncodedAlternative.Template template, string subject, string lede)
    {
        var message = new MimeMessage { Subject = subject, Body = template.Fill(kind => kind == SlotKind.Lede ? lede : "") };
        message.From.Add(MailboxAddress.Parse("papers@example.org"));
        message.To.Add(MailboxAddress.Parse("reader@example.org"));
        return new OutgoingMail(message, null);
    }

    private static string Lines(string? text) => (text ?? "").Replace("\r\n", "\n");
}
