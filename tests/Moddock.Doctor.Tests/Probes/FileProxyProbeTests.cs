using Moddock.Doctor.Probes;
using Moddock.Doctor.Reporting;
using Moddock.Testing;

namespace Moddock.Doctor.Tests.Probes;

public sealed class FileProxyProbeTests
{
    [Fact]
    public void Probe_RootIsAFile_SaysItIsNotADirectory()
    {
        // GOPROXY=file:///etc/passwd was reported as "/etc/passwd/ does not exist".
        var file = Path.Combine(TestEnvironment.NewTempDir("fileproxy"), "proxy.txt");
        File.WriteAllText(file, "not a proxy");
        var target = new ProbeTarget("proxy file://" + file, new Uri("file://" + file + "/"), Where.Proxy, "golang.org/x/text/@v/list", "golang.org/x/text");

        var c = FileProxyProbe.Probe(target);

        Assert.Equal(CauseIds.HttpNotFound, c.Cause);
        Assert.Contains("is a file, not a directory", c.Detail, StringComparison.Ordinal);
    }
}
