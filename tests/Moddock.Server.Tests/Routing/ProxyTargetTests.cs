using Moddock.Proxy;
using Moddock.Server.Routing;

namespace Moddock.Server.Tests.Routing;

public sealed class ProxyTargetTests
{
    [Theory]
    [InlineData("/golang.org/x/mod/@v/list", ArtifactKind.List, "golang.org/x/mod", null)]
    [InlineData("/github.com/!burnt!sushi/toml/@v/v1.3.2.zip", ArtifactKind.Zip, "github.com/BurntSushi/toml", "v1.3.2")]
    [InlineData("/github.com/%21burnt%21sushi/toml/@v/v1.3.2.mod", ArtifactKind.Mod, "github.com/BurntSushi/toml", "v1.3.2")]
    [InlineData("/github.com/%21burnt!sushi/toml/@v/v1.3.2.info", ArtifactKind.Info, "github.com/BurntSushi/toml", "v1.3.2")]
    [InlineData("/example.com/m/@v/v1.0.0-!r!c1.info", ArtifactKind.Info, "example.com/m", "v1.0.0-RC1")]
    [InlineData("/example.com/m/@v/master.info", ArtifactKind.Info, "example.com/m", "master")]
    [InlineData("/example.com/m/@v/v1.2.info", ArtifactKind.Info, "example.com/m", "v1.2")]
    [InlineData("/example.com/m/@latest", ArtifactKind.Latest, "example.com/m", null)]
    [InlineData("/example.com/m/@v/v2.0.0+incompatible.zip", ArtifactKind.Zip, "example.com/m", "v2.0.0+incompatible")]
    [InlineData("/example.com/m/v2/@v/v2.1.0.mod", ArtifactKind.Mod, "example.com/m/v2", "v2.1.0")]
    [InlineData("/example.com/m/@v/list?go-get=1", ArtifactKind.List, "example.com/m", null)]
    [InlineData("/example.com/m~x_y/@v/v0.0.0-20200101000000-abcdefabcdef.zip", ArtifactKind.Zip, "example.com/m~x_y", "v0.0.0-20200101000000-abcdefabcdef")]
    public void TryParse_ValidTarget_NamesTheArtifact(string target, ArtifactKind kind, string module, string? query)
    {
        Assert.True(ProxyTarget.TryParse(target, out var request, out var rejection), rejection?.Reason);
        Assert.Equal(kind, request!.Kind);
        Assert.Equal(module, request.Path.Value);
        Assert.Equal(query, request.Query);
    }

    public static TheoryData<string, int> BadTargets => BadRequestCorpus.Targets;

    [Theory]
    [MemberData(nameof(BadTargets))]
    public void TryParse_BadTarget_RejectsWithStatusAndReason(string target, int status)
    {
        Assert.False(ProxyTarget.TryParse(target, out var request, out var rejection));
        Assert.Null(request);
        Assert.Equal(status, rejection!.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(rejection.Reason));
    }

    [Theory]
    [InlineData("/example.com/m/@v/v2.0.0.zip", "not found: example.com/m@v2.0.0: invalid version: should be v0 or v1, not v2")]
    [InlineData("/example.com/m/v2/@v/v1.0.0.mod", "not found: example.com/m/v2@v1.0.0: invalid version: should be v2, not v1")]
    public void TryParse_VersionNotFittingThePath_NotFoundSayingSoOnce(string target, string reason)
    {
        Assert.False(ProxyTarget.TryParse(target, out _, out var rejection));
        Assert.Equal(404, rejection!.StatusCode);
        Assert.Equal(reason, rejection.Reason);
    }

    [Theory]
    [InlineData("/example.com/m/@v/!!v1.0.0.info", "bad request: invalid escaped version \"!!v1.0.0\"")]
    [InlineData("/example.com/m/@v/..info", "bad request: invalid escaped version \".\": invalid path element \".\"")]
    public void TryParse_InvalidVersionEscape_BadRequestSayingSoOnce(string target, string reason)
    {
        Assert.False(ProxyTarget.TryParse(target, out _, out var rejection));
        Assert.Equal(400, rejection!.StatusCode);
        Assert.Equal(reason, rejection.Reason);
    }

    [Fact]
    public void TryParse_AbsoluteFormTarget_IsBadRequest()
    {
        Assert.False(ProxyTarget.TryParse("http://example.com/m/@v/list", out _, out var rejection));
        Assert.Equal(400, rejection!.StatusCode);
    }

    [Fact]
    public void TryParse_PlusInVersion_IsNotASpace()
    {
        Assert.True(ProxyTarget.TryParse("/example.com/m/@v/v2.0.0%2bincompatible.mod", out var request, out _));
        Assert.Equal("v2.0.0+incompatible", request!.Query);
    }
}
