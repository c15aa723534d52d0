using FsCheck;
using FsCheck.Fluent;
using Moddock.Modules.Text;

namespace Moddock.Modules.Tests.Differential;

/// <summary>
/// Parsers without a Go oracle here (GOPROXY lists, percent-decoding) and every parser on raw random input: each
/// returns its documented result, success xor a typed error, and never throws.
/// </summary>
public sealed class RobustnessFuzzTests
{
    private static readonly Gen<string> ProxyItem = Gen.Frequency(
        (4, Gen.Elements("https://", "http://", "file://", "file:", "direct", "off", "noproxy", ",", "|", " ", "127.0.0.1:3000", "[::1]", "%zz", "%41", "@", "#", "?", "user:pw@", "/p", "proxy.example")),
        (3, FuzzInputs.Char));

    private static readonly Gen<string> ProxyList = ProxyItem.ListOf().Select(p => string.Concat(p)).Resize(10);

    // FsCheck picks a seed and a length; the bytes come from System.Random (a list of 200 generated ints is slow).
    private static readonly Gen<string> RawBytes =
        from seed in Gen.Choose(0, int.MaxValue)
        from length in Gen.Choose(0, 200)
        select GoBytes.Decode(RandomBytes(seed, length));

    private static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
#pragma warning disable CA5394 // test data, not security
        new Random(seed).NextBytes(bytes);
#pragma warning restore CA5394
        return bytes;
    }

    [Fact]
    public void GoProxyListTryParse_GeneratedLists_ReturnEntriesXorError()
    {
        foreach (var value in FuzzInputs.Sample(ProxyList, 4000, 40))
        {
            var ok = GoProxyList.TryParse(value, "x", out var entries, out var error);
            Assert.Equal(ok, error is null);
            Assert.Equal(ok, entries.Count > 0);
            Assert.All(entries, e => Assert.Equal(e.Kind == ProxyEntryKind.Url, e.Url is not null));
            Assert.All(entries.SkipLast(1), e => Assert.True(e.Kind is ProxyEntryKind.Url or ProxyEntryKind.NoProxy));
        }
    }

    [Fact]
    public void EveryParser_RandomBytes_NeverThrows()
    {
        foreach (var s in FuzzInputs.Sample(RawBytes, 2000, 41).Concat(FuzzInputs.Sample(FuzzInputs.Path, 1000, 42)))
        {
            Assert.Equal(GoModFile.TryParse(GoBytes.Encode(s), out var file, out var error), file is not null && error is null);
            Assert.Equal(GoProxyList.TryParse(s, out _, out error), error is null);
            Assert.True(ModuleEscaping.TryPercentDecode(s, out var decoded) || decoded.Length == 0);
            Assert.Equal(ModulePath.TryParse(s, out _, out error), error is null);
            Assert.Equal(ModuleVersion.TryParse(s, out _, out error), error is null);
            Assert.Equal(ModulePath.TryUnescape(s, out _, out error), error is null);
            Assert.Equal(ModuleVersion.TryUnescape(s, out _, out error), error is null);
            Assert.Equal(PseudoVersion.TryGetBase(s, out _, out error), error is null);
            _ = PathPatterns.Parse(s).Matches(s);
            _ = Semver.Compare(s, "v1.0.0") + Semver.Canonical(s).Length + PseudoVersion.Build("", s, DateTimeOffset.UnixEpoch, "r").Length;
        }
    }
}
