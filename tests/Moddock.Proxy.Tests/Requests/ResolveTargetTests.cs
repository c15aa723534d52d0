using Moddock.Modules;

namespace Moddock.Proxy.Tests.Requests;

public sealed class ResolveTargetTests
{
    [Theory]
    [InlineData("example.com/m/v2", "v1.0.0", ArtifactKind.Info, "example.com/m/v2@v1.0.0: invalid version: should be v2, not v1")]
    [InlineData("example.com/m", "v2.0.0", ArtifactKind.Mod, "example.com/m@v2.0.0: invalid version: should be v0 or v1, not v2")]
    [InlineData("example.com/m", "v2.0.0", ArtifactKind.Zip, "example.com/m@v2.0.0: invalid version: should be v0 or v1, not v2")]
    [InlineData("example.com/m/v3", "v2.0.0+incompatible", ArtifactKind.Info, "example.com/m/v3@v2.0.0+incompatible: invalid version: should be v3, not v2")]
    public void From_VersionNotFittingThePath_NotFoundSayingSoOnce(string path, string version, ArtifactKind kind, string reason)
    {
        var target = ResolveTarget.From(new ModuleRequest(ModulePath.Parse(path), kind, version));

        Assert.Equal(ResolveOutcome.NotFound, target.Invalid);
        Assert.Equal(reason, target.InvalidReason);
    }

    [Theory]
    [InlineData("example.com/m", "v2.0.0")]
    [InlineData("github.com/docker/docker", "v24.0.0")]
    [InlineData("example.com/m", "v3.1.0-rc.1")]
    public void From_InfoOfAV2PlusVersionOnAPathWithoutMajorSuffix_AQueryForTheSourceToResolve(string path, string version)
    {
        // proxy.golang.org answers github.com/docker/docker/@v/v24.0.0.info with v24.0.0+incompatible.
        var target = ResolveTarget.From(new ModuleRequest(ModulePath.Parse(path), ArtifactKind.Info, version));

        Assert.True(target.IsQuery);
        Assert.Null(target.Invalid);
    }
}
