using Moddock.Proxy.Verification;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Verification;

public sealed class VerifierWarmupTests
{
    [Fact]
    public async Task Start_ScratchDirectory_LeavesNothingBehind()
    {
        var dir = TestEnvironment.NewTempDir("warmup");

        await VerifierWarmup.Start(dir);

        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
    }

    [Fact]
    public async Task Start_UnwritableDirectory_CompletesWithoutThrowing()
    {
        var missing = Path.Combine(TestEnvironment.NewTempDir("warmup"), "does-not-exist");

        await VerifierWarmup.Start(missing);

        Assert.False(Directory.Exists(missing));
    }
}
