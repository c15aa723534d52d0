namespace Moddock.Sumdb.Tests;

public sealed class SumdbRequestPathTests
{
    [Theory]
    [InlineData("sum.golang.org/supported", "sum.golang.org", "supported")]
    [InlineData("sum.golang.org/latest", "sum.golang.org", "latest")]
    [InlineData("sum.golang.org/lookup/github.com/!azure/x@v1.0.0", "sum.golang.org", "lookup/github.com/!azure/x@v1.0.0")]
    [InlineData("moddock.internal/private/tile/8/0/x001/002.p/3", "moddock.internal/private", "tile/8/0/x001/002.p/3")]
    [InlineData("a.b/lookup/x/lookup/y@v1.0.0", "a.b", "lookup/x/lookup/y@v1.0.0")]
    public void TrySplit_Paths_NameAndRest(string path, string name, string rest)
    {
        Assert.True(SumdbRequestPath.TrySplit(path, out var n, out var r));
        Assert.Equal((name, rest), (n, r));
    }

    [Theory]
    [InlineData("")]
    [InlineData("supported")]
    [InlineData("/supported")]
    [InlineData("sum.golang.org")]
    [InlineData("sum.golang.org/supportedX")]
    public void TrySplit_NoVerb_False(string path) => Assert.False(SumdbRequestPath.TrySplit(path, out _, out _));
}
