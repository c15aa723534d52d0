namespace Moddock.Modules.Tests;

/// <summary>ModulePath, ModuleVersion, PathPatterns and percent-decoding as values (their Go rules are checked against the oracle elsewhere).</summary>
public sealed class TypedIdentityTests
{
    [Fact]
    public void ModulePathParse_InvalidPath_ThrowsModuleExceptionNamingTheElement()
    {
        var e = Assert.Throws<ModuleException>(() => ModulePath.Parse("example.com/a/.hidden"));
        Assert.Equal(ModuleErrorKind.InvalidPath, e.Error.Kind);
        Assert.Equal(e.Error.Message, e.Message);
        Assert.Contains("\"example.com/a/.hidden\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModulePath_UpperCasePath_EscapesUnescapesAndSplits()
    {
        var path = ModulePath.Parse("github.com/Azure/go-autorest/v14");
        Assert.Equal("github.com/!azure/go-autorest/v14", path.Escaped);
        Assert.True(ModulePath.TryUnescape(path.Escaped, out var back, out _));
        Assert.Equal(path, back);
        Assert.Equal(("github.com/Azure/go-autorest", "/v14"), path.Split());
        Assert.Equal(path.Value, path.ToString());
        Assert.Equal("", default(ModulePath).Value);
    }

    [Theory]
    [InlineData("v1.2.3", true)]
    [InlineData("v2.0.0+incompatible", true)]
    [InlineData("v1.2.4-0.20191109021931-daa7c04131f5", true)]
    [InlineData("v1.2", false)]
    [InlineData("v1.2.3+meta", false)]
    [InlineData("1.2.3", false)]
    public void ModuleVersionTryParse_OnlyCanonicalVersions_AreAccepted(string v, bool ok)
    {
        Assert.Equal(ok, ModuleVersion.TryParse(v, out var version, out var error));
        Assert.Equal(ok, error is null);
        Assert.Equal(ok ? v : "", version.Value);
        if (!ok)
        {
            Assert.Equal(ModuleErrorKind.InvalidVersion, error!.Kind);
            Assert.Contains(v, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ModuleVersion_PrereleaseWithCapitals_EscapesAndReportsKind()
    {
        var v = ModuleVersion.Parse("v1.0.0-RC1");
        Assert.Equal("v1.0.0-!r!c1", v.Escaped);
        Assert.True(v.IsPrerelease);
        Assert.False(v.IsPseudo);
        Assert.True(ModuleVersion.Parse("v0.0.0-20191109021931-daa7c04131f5").IsPseudo);
        Assert.True(ModuleVersion.TryUnescape("v1.0.0-!r!c1", out var back, out _));
        Assert.Equal(v, back);
    }

    [Theory]
    [InlineData("github.com/%21azure/x", true, "github.com/!azure/x")]
    [InlineData("v1.0.0+incompatible", true, "v1.0.0+incompatible")]
    [InlineData("a%2Fb", true, "a/b")]
    [InlineData("bad%2", false, "")]
    [InlineData("bad%zz", false, "")]
    [InlineData("bad%ff", false, "")]
    public void TryPercentDecode_GoCommandEncodings_DecodeLikeUrlPathUnescape(string segment, bool ok, string decoded)
    {
        Assert.Equal(ok, ModuleEscaping.TryPercentDecode(segment, out var result));
        Assert.Equal(decoded, result);
    }

    [Fact]
    public void PathPatternsParse_EmptyItemsAndTrailingSlashes_AreDropped()
    {
        var patterns = PathPatterns.Parse(",corp.example/,,*.internal,");
        Assert.Equal(["corp.example", "*.internal"], patterns.Patterns);
        Assert.Equal("corp.example,*.internal", patterns.ToString());
        Assert.False(patterns.IsEmpty);
        Assert.True(PathPatterns.Parse(" ,").Patterns.Count == 1); // Go does not trim spaces: " " is a (never matching) glob
        Assert.True(PathPatterns.Parse(",,/").IsEmpty);
        Assert.False(PathPatterns.Parse("").Matches("corp.example/x"));
    }

    [Fact]
    public void SemverCompare_ValidVersions_DoesNotAllocate()
    {
        // The proxy compares versions on every list request; this must stay allocation-free. Warm up past tiered
        // compilation, then require less than one byte per iteration (any real allocation is at least 24 bytes).
        const int n = 10_000;
        var sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += Semver.Compare("v1.2.3-pre.1", "v1.2.3-pre.2");
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < n; i++)
        {
            sum += Semver.Compare("v1.2.3-pre.1", "v1.2.3-pre.2") + Semver.Compare("v1.10", "v1.9.9") + Semver.Compare("bad", "v1");
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < n, $"{allocated} bytes allocated by {3 * n} comparisons");
        Assert.Equal(-n - n + n - n, sum);
    }

    [Fact]
    public void SemverByVersion_TiesBetweenEqualVersions_BreakByOrdinalString()
    {
        var list = new List<string> { "v1.0.0+b", "v1.0.0+a", "v0.9", "bad", "v1.0.0-rc.1" };
        list.Sort(Semver.ByVersion);
        Assert.Equal(["bad", "v0.9", "v1.0.0-rc.1", "v1.0.0+a", "v1.0.0+b"], list);
    }
}
