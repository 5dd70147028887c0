using Newsletter.Core.Security;

namespace Newsletter.Core.Tests.Security;

public sealed class DkimAlignmentTests
{
    [Theory]
    [InlineData("news.example.org", "news.example.org", true)]
    [InlineData("example.org", "news.example.org", true)]
    [InlineData("EXAMPLE.org", "news.example.org", true)]
    [InlineData("ample.org", "news.example.org", false)]
    [InlineData("other.org", "news.example.org", false)]
    [InlineData("news.example.org", "example.org", false)]
    // A top-level domain is no one's organisational domain: d=org would not align under DMARC.
    [InlineData("org", "example.org", false)]
    public void TheSigningDomainIsFromsOrAParentOfIt(string signing, string from, bool aligns) =>
        Assert.Equal(aligns, DkimOptionsValidator.Aligns(signing, from));
}
