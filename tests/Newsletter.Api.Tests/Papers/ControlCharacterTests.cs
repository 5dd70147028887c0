using System.Net;
using System.Text.Json;
using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Papers;

/// <summary>Text from the source is outside data: invisible characters in it must not break a mail.</summary>
public sealed class ControlCharacterTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private NewsletterApp App => fixture.App;

    [Fact]
    public async Task ANulInAPaperDoesNotCutTheDigestForItsReaders()
    {
        var date = new DateOnly(2026, 7, 1);
        await App.SubscribeAndConfirmAsync("nul-reader@example.org");
        var papers = PaperFixtures.Day(date, 4);
        papers[0] = PaperFixtures.Item("2607.01001", "Cut\0 here\u0007 by a \u001b[31mNUL\u0085and \u202Eevil\u202C text\u2028ok", 99, date);
        var json = JsonSerializer.Serialize(papers).Replace("\"Ada Example\"", "\"Ada\\u0000 Example\\u0001\"");
        await App.ImportAsync(JsonSerializer.Deserialize<JsonElement[]>(json)!.Cast<object>().ToArray());

        var (status, body, _) = await App.TriggerAsync(date);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var mail = await App.Smtp.WaitForMailToAsync("nul-reader@example.org", "2026-07-01");
        await App.WaitForDigestAsync(body.GetProperty("id").GetInt64(), "sent");

        var text = mail.Message.TextBody!;
        var html = mail.Message.HtmlBody!;
        foreach (var rank in Enumerable.Range(1, 4)) Assert.Contains($"https://arxiv.org/abs/2607.01{rank:000}", text);
        Assert.Contains("Cut here by a [31mNUL and evil text ok", text);
        Assert.Contains("Ada Example", text);
        Assert.Contains(mail.Message.Headers["List-Unsubscribe"]!.Trim('<', '>'), text);
        Assert.Contains("Test Lab, 1 Loopback Lane, 12345 Localhost", text);
        Assert.Contains("Test Lab, 1 Loopback Lane, 12345 Localhost", html);
        Assert.DoesNotContain(text + html + mail.Message.Subject, c => char.IsControl(c) && c is not '\r' and not '\n' and not '\t'
                                                                        || c is >= '\u202A' and <= '\u202E' or '\u2028');
    }

    [Fact]
    public async Task AHostileTitleNeitherSwellsTheMailNorDecodesIntoTheSubjectAndABadIdIsSkipped()
    {
        var date = new DateOnly(2026, 7, 2);
        await App.SubscribeAndConfirmAsync("hostile-title@example.org");
        // "=?utf-8?b?...?=" is an encoded word for "\r\nBcc: all@example.net", and the title runs to 100 KB.
        var encodedWord = "=?utf-8?b?" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("\r\nBcc: all@example.net")) + "?=";
        var papers = PaperFixtures.Day(date, 3).ToList();
        papers[0] = PaperFixtures.Item("2607.02001", encodedWord + " Zero\u200Bwidth " + new string('x', 100_000), 99, date);
        papers.Add(PaperFixtures.Item("--/0000000", "An id of hyphens", 500, date));
        await App.ImportAsync([.. papers]);

        var (status, body, _) = await App.TriggerAsync(date);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var mail = await App.Smtp.WaitForMailToAsync("hostile-title@example.org", "2026-07-02");
        await App.WaitForDigestAsync(body.GetProperty("id").GetInt64(), "sent");

        Assert.DoesNotContain("Bcc", mail.Message.Subject);
        Assert.Contains("Zerowidth", mail.Message.Subject);
        Assert.True(mail.Raw.Length < 100_000, $"{mail.Raw.Length} bytes");
        Assert.DoesNotContain("An id of hyphens", mail.Message.TextBody);
        Assert.Contains("Test Lab, 1 Loopback Lane, 12345 Localhost", mail.Message.TextBody);
    }
}
