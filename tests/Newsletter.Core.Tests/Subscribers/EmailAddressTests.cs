using Newsletter.Core.Subscribers;

namespace Newsletter.Core.Tests.Subscribers;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("ada@example.org", "ada@example.org")]
    [InlineData("  ada@Example.ORG ", "ada@example.org")]
    [InlineData("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk")]
    [InlineData("o'brien@example.ie", "o'brien@example.ie")]
    [InlineData("user@bücher.example", "user@xn--bcher-kva.example")]
    [InlineData("user@BÜCHER.example", "user@xn--bcher-kva.example")]
    [InlineData("user@ＥＸＡＭＰＬＥ.org", "user@example.org")]
    [InlineData("user@ｅｘａｍｐｌｅ。org", "user@example.org")]
    public void ValidAddressesAreNormalised(string input, string expected) =>
        Assert.Equal(expected, EmailAddress.Normalize(input, out _));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("a@b@example.org")]
    [InlineData("Ada <ada@example.org>")]
    [InlineData("\"quoted\"@example.org")]
    [InlineData("ada@example.org\r\nBcc: x@example.org")]
    [InlineData("ada@example.org\n")]
    [InlineData("ada\t@example.org")]
    [InlineData(".ada@example.org")]
    [InlineData("ada.@example.org")]
    [InlineData("ada@-example.org")]
    [InlineData("ada@example")]
    [InlineData("ada@example.o")]
    [InlineData("ada@exa_mple.org")]
    [InlineData("ada@exa\u200bmple.org")]
    [InlineData("ada@ex\u00adample.org")]
    [InlineData("ada@example.org\u200e")]
    [InlineData("ada@example.123")]
    [InlineData("ada@exa\uFE0Fmple.org")]
    [InlineData("ada@example.org\U000E0041")]
    public void MalformedAddressesAreRefusedWithAReason(string? input)
    {
        Assert.Null(EmailAddress.Normalize(input, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void AddressesOver254CharactersAreRefused()
    {
        var domain = string.Join(".", Enumerable.Repeat(new string('d', 63), 3)) + ".org"; // 195 characters
        var fits = new string('l', 254 - domain.Length - 1) + "@" + domain;
        Assert.True(fits.Length == 254);
        Assert.Equal(fits, EmailAddress.Normalize(fits, out _));
        Assert.Null(EmailAddress.Normalize("l" + fits, out _));
    }
}
