using System.Text;
using Moddock.Modules;
using Moddock.Proxy.Resolution;

namespace Moddock.Proxy.Tests.Resolution;

public sealed class VersionListTests
{
    [Theory]
    // The origin leaves +incompatible out (its latest has a go.mod): a stored one, asked for by name, stays out.
    [InlineData("v1.0.0 v1.1.0", "v1.0.0 v2.0.0+incompatible v1.2.0", "v1.0.0 v1.1.0 v1.2.0")]
    // The origin lists them: stored ones join.
    [InlineData("v1.0.0 v2.0.0+incompatible", "v3.0.0+incompatible", "v1.0.0 v2.0.0+incompatible v3.0.0+incompatible")]
    // No upstream answer (offline, never listed): everything stored but pseudo-versions, in semver order.
    [InlineData("", "v2.0.0+incompatible v1.0.0 v0.0.0-20240102030405-abcdefabcdef", "v1.0.0 v2.0.0+incompatible")]
    public void Derive_UpstreamLinesAndStoredVersions_ListAsTheOriginWould(string upstream, string stored, string expected)
    {
        var lines = upstream.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var versions = stored.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ModuleVersion.Parse).ToList();

        var list = Encoding.UTF8.GetString(VersionList.Derive(lines, versions));

        Assert.Equal(expected.Replace(' ', '\n') + "\n", list);
    }
}
