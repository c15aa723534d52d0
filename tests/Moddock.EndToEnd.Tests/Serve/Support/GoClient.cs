using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve.Support;

/// <summary>The real go command, isolated: its own HOME, GOPATH and module cache per instance; the build cache is shared.</summary>
internal sealed class GoClient
{
    private readonly string _home = TestEnvironment.NewTempDir("gohome");

    public string ModCache => Path.Combine(_home, "gopath", "pkg", "mod");

    public ProcessResult Run(string workDir, string goproxy, params string[] args) => Run(workDir, goproxy, TimeSpan.FromSeconds(120), args);

    public ProcessResult Run(string workDir, string goproxy, TimeSpan timeout, params string[] args)
    {
        var env = GoCommandEnvironment.Isolated(_home, goproxy);
        env["GOCACHE"] = Path.Combine(TestEnvironment.OutDir, "e2e-gocache");
        env["GOFLAGS"] = "-mod=mod -modcacherw";
        return ProcessRunner.Run("go", args, workDir, env, timeout: timeout);
    }
}
