using Newsletter.Api.Tests.Infrastructure;

namespace Newsletter.Api.Tests.Replies;

/// <summary>The service with <c>Replies:Domain</c> set: digests carry a reply address.</summary>
public sealed class ReplyFixture : AppFixture
{
    protected override IDictionary<string, string?> Settings => ReplyMails.Settings;
}
