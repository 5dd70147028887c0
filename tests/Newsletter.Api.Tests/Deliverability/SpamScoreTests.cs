using Newsletter.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Newsletter.Api.Tests.Deliverability;

/// <summary>
/// SpamAssassin's local rules (no network tests) on the mails exactly as the SMTP server received
/// them. Only the informational NO_RECEIVED and NO_RELAYS (0 points) come from the test: the
/// loopback server is the mail's first hop, so no Received line is in it yet. A made-up one would
/// need a made-up relay address, which the rules flag as illegal; the raw bytes are scored instead.
/// </summary>
public sealed class SpamScoreTests(SentMailFixture fixture, ITestOutputHelper output) : IClassFixture<SentMailFixture>
{
    [Fact]
    public async Task TheDigestScoresAtMostZeroWithNoRuleCountingAgainstIt() =>
        await Clean("digest", (await fixture.MailAsync()).Digest.Raw);

    [Fact]
    public async Task TheConfirmationScoresAtMostZeroWithNoRuleCountingAgainstIt() =>
        await Clean("confirmation", (await fixture.MailAsync()).Confirmation.Raw);

    /// <summary>
    /// At most 0 in total, and not by a list bonus (MAILING_LIST_MULTI, -1) making up for a
    /// fault: a rule that adds points is a defect in the mail even while the total stays low.
    /// </summary>
    private async Task Clean(string mail, byte[] raw)
    {
        var verdict = await SpamAssassin.CheckAsync(raw);
        output.WriteLine($"{mail} ({raw.Length} bytes): {verdict}");
        Assert.True(verdict.Score <= 0, $"The {mail} scores above 0 with SpamAssassin: {verdict}");
        var against = verdict.Rules.Where(r => !(r.Points <= 0)).ToList();
        Assert.True(against.Count == 0, $"Rules count against the {mail}: {string.Join(", ", against.Select(r => r.Name))}\n{verdict}");
    }
}
