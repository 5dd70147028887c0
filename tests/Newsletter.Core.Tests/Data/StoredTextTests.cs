using Newsletter.Core.Data;
using Newsletter.Core.Digests;
using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Tests.Data;

public sealed class StoredTextTests
{
    [Fact]
    public void StatesAreStoredAsTheTextTheSchemaChecks()
    {
        Assert.Equal(["pending", "active", "unsubscribed", "bounced", "erased"], StoredText.AllOf<SubscriberStatus>());
        Assert.Equal(["queued", "sending", "sent", "failed"], StoredText.AllOf<DigestStatus>());
        Assert.Equal(["pending", "sent", "failed", "skipped"], StoredText.AllOf<DeliveryStatus>());
        Assert.Equal("one-click", ConsentSource.OneClick.ToStored());
    }

    [Fact]
    public void EveryStoredTextReadsBackAsItsState()
    {
        foreach (var source in Enum.GetValues<ConsentSource>())
        {
            Assert.True(StoredText.TryParse<ConsentSource>(source.ToStored(), out var read));
            Assert.Equal(source, read);
        }
    }

    [Theory]
    [InlineData("Active")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData(null)]
    public void TextThatIsNoStoredStateIsRefused(string? text) =>
        Assert.False(StoredText.TryParse<SubscriberStatus>(text, out _));
}
