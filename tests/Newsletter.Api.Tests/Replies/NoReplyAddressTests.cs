using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Replies;

/// <summary>Without <c>Replies:Domain</c> digests go out as before: no Reply-To, replies go to From.</summary>
public sealed class NoReplyAddressTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task WithoutTheSettingADigestCarriesNoReplyTo()
    {
        var (_, digest) = await fixture.App.ReaderWithDigestAsync("no-reply-to@example.org", new DateOnly(2026, 5, 11));

        Assert.Empty(digest.ReplyTo);
        Assert.DoesNotContain("reply+", digest.ToString());
    }
}
