using Moddock.Server.Endpoints;

namespace Moddock.Server.Tests.Endpoints;

public sealed class SumdbEndpointHandlerTests
{
    [Theory]
    [InlineData("/sumdb/sum.golang.org/supported", "sum.golang.org", "supported")]
    [InlineData("/sumdb/sum.golang.org/lookup/github.com/!burnt!sushi/toml@v1.3.2", "sum.golang.org", "lookup/github.com/!burnt!sushi/toml@v1.3.2")]
    [InlineData("/sumdb/sum.golang.org/lookup/github.com/%21burnt%21sushi/toml@v1.3.2", "sum.golang.org", "lookup/github.com/!burnt!sushi/toml@v1.3.2")]
    [InlineData("/sumdb/sum.golang.org/tile/8/0/x001/234.p/5", "sum.golang.org", "tile/8/0/x001/234.p/5")]
    [InlineData("/sumdb/moddock.internal/private/supported", "moddock.internal/private", "supported")]
    [InlineData("/sumdb/moddock.internal/private/latest", "moddock.internal/private", "latest")]
    [InlineData("/sumdb/moddock.internal/private/lookup/example.test/a/latest@v1.0.0", "moddock.internal/private", "lookup/example.test/a/latest@v1.0.0")]
    [InlineData("/sumdb/moddock.internal/private/tile/8/data/000", "moddock.internal/private", "tile/8/data/000")]
    public void TryParse_ProtocolPaths_SplitNameAndRest(string target, string name, string rest)
    {
        Assert.True(SumdbEndpointHandler.TryParse(target, out var n, out var r, out var problem), problem);
        Assert.Equal(name, n);
        Assert.Equal(rest, r);
    }

    [Theory]
    [InlineData("/sumdb/sum.golang.org/../../etc/passwd")]
    [InlineData("/sumdb/sum.golang.org/%2e%2e/x")]
    [InlineData("/sumdb/sum.golang.org/lookup%2f..%2fx")]
    [InlineData("/sumdb/sum.golang.org")]
    [InlineData("/sumdb//supported")]
    [InlineData("/sumdb/a/b%00")]
    [InlineData("/x/../sumdb/a/supported")]
    [InlineData("/sumdb/moddock.internal/private/unknown")]
    [InlineData("/sumdb/supported")]
    public void TryParse_Hostile_Rejected(string target)
    {
        Assert.False(SumdbEndpointHandler.TryParse(target, out _, out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }
}
