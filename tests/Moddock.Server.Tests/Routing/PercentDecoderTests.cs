using Moddock.Server.Routing;

namespace Moddock.Server.Tests.Routing;

public sealed class PercentDecoderTests
{
    [Theory]
    [InlineData("/a/b", "/a/b")]
    [InlineData("/%21a", "/!a")]
    [InlineData("/a+b", "/a+b")]
    [InlineData("/a%2bb", "/a+b")]
    [InlineData("/%252f", "/%2f")]
    [InlineData("/%7e", "/~")]
    public void TryDecode_ValidEscapes_DecodesOnce(string raw, string expected)
    {
        Assert.True(PercentDecoder.TryDecode(raw, out var decoded, out var problem), problem);
        Assert.Equal(expected, decoded);
    }

    [Theory]
    [InlineData("/a%2fb")]
    [InlineData("/a%2Fb")]
    [InlineData("/a%5cb")]
    [InlineData("/a%00")]
    [InlineData("/a%")]
    [InlineData("/a%4")]
    [InlineData("/a%g0")]
    [InlineData("/%c3%28")]
    public void TryDecode_ForbiddenOrMalformed_Fails(string raw)
    {
        Assert.False(PercentDecoder.TryDecode(raw, out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }
}
