using Moddock.Modules;

namespace Moddock.Proxy.Tests.Requests;

public sealed class ResolveTargetTests
{
    [Theory]
    [InlineData("example.com/m", "v2.0.0", "example.com/m@v2.0.0: invalid version: should be v0 or v1, not v2")]
    [InlineData("example.com/m/v2", "v1.0.0", "example.com/m/v2@v1.0.0: invalid version: should be v2, not v1")]
    public void From_InfoOfVersionNotFittingThePath_NotFoundSayingSoOnce(string path, string version, string reason)
    {
        var target = ResolveTarget.From(new ModuleRequest(ModulePath.Parse(path), ArtifactKind.Info, version));

        Assert.Equal(ResolveOutcome.NotFound, target.Invalid);
        Assert.Equal(reason, target.InvalidReason);
    }
}
