using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Api.Tests.Infrastructure;
using Newsletter.Core.Delivery;
using Newsletter.Core.Options;

namespace Newsletter.Api.Tests.Deliverability;

/// <summary>
/// Messages shaped to catch canonicalization mistakes (white space runs, trailing white space and
/// empty lines, folded and encoded headers, an empty body), signed by the service's signer, written
/// as an SMTP client writes them, and checked by the independent verifier.
/// </summary>
public sealed class DkimCanonicalizationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public static TheoryData<string> Bodies => new()
    {
        "Hello   world \t\r\n\r\n  indented\t line  \r\n \r\n\r\n\r\n",
        "no line end at all",
        "",
        "\r\n\r\nstarts with empty lines\r\n\t\r\n",
        "a line with é and ü, \u2014 and far more than seventy-eight characters so that it has to be wrapped by the encoder\r\n",
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task AwkwardMessagesVerify(string text)
    {
        foreach (var key in new[] { TestDkimKeys.Rsa(_folder.Path), TestDkimKeys.Ed25519(_folder.Path) })
        {
            var signer = new MessageSigner(Options.Create(new DkimOptions { Domain = "example.org", Selector = "s1", PrivateKeyPath = key.Path }), TimeProvider.System);
            var message = new MimeMessage { Subject = "Ünïcode subject \u2014 long enough to be folded over more than one line of the header block, surely", Date = DateTimeOffset.UtcNow };
            message.From.Add(new MailboxAddress("Daily   Papers", "papers@example.org"));
            message.To.Add(new MailboxAddress("A Reader With A Long Name, Esq.", "reader@example.net"));
            message.Headers.Add("List-Id", "Daily Papers <daily-papers.example.org>");
            message.Body = new TextPart("plain") { Text = text };

            signer.Sign(message);
            using var wire = new MemoryStream();
            var format = FormatOptions.Default.Clone();
            format.NewLineFormat = NewLineFormat.Dos;
            await message.WriteToAsync(format, wire);

            var verdict = await DkimVerification.VerifyAsync(wire.ToArray(), key.Record, _folder.Path);
            Assert.True(verdict.Verified, verdict.Error);
            Assert.Contains("list-id", verdict.SignedHeaders);
        }
    }

    public void Dispose() => _folder.Dispose();
}
