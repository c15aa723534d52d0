using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Moddock.Doctor.Probes;
using Moddock.Doctor.Probes.Dns;
using Moddock.Doctor.Probes.Net;
using Moddock.Doctor.Probes.Tls;
using Moddock.Doctor.Reporting;
using Moddock.Testing;

namespace Moddock.Doctor.Tests.Probes;

/// <summary>
/// `git ls-remote` as the doctor runs it for direct modules, against real git: a `git daemon` on 127.0.0.1,
/// and a smart-HTTP endpoint that wants credentials. The failure is read by the explain rules, so these prove
/// the whole path from git's own stderr to the cause id.
/// </summary>
public sealed class DirectChecksTests : IDisposable
{
    private readonly string _home = TestEnvironment.NewTempDir("directchecks-home");
    private readonly List<Process> _daemons = [];

    public void Dispose()
    {
        foreach (var d in _daemons)
        {
            try
            {
                d.Kill(entireProcessTree: true);
                d.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }

            d.Dispose();
        }
    }

    [Fact]
    public async Task LsRemoteAsync_RepositoryServedByGitDaemon_ReportsItsRefs()
    {
        var port = StartDaemon(out _);
        var check = await DirectChecks.LsRemoteAsync("127.0.0.1/demo.git", $"git://127.0.0.1:{port}/demo.git", Env(), Context(), CancellationToken.None);

        Assert.Equal(CheckStatus.Ok, check.Status);
        // HEAD, main and the two tags (the annotated one also peeled): what `git ls-remote` itself prints.
        Assert.Equal(CountRefs($"git://127.0.0.1:{port}/demo.git") + " refs", check.Detail);
        Assert.Null(check.Cause);
    }

    [Fact]
    public async Task LsRemoteAsync_RepositoryMissingOnDaemon_NamesGitFailed()
    {
        var port = StartDaemon(out _);
        var check = await DirectChecks.LsRemoteAsync("127.0.0.1/nothere.git", $"git://127.0.0.1:{port}/nothere.git", Env(), Context(), CancellationToken.None);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Equal(CauseIds.GitFailed, check.Cause);
        Assert.Contains("fatal:", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LsRemoteAsync_ServerWantsCredentialsAndPromptsAreOff_NamesGitAuthRequired()
    {
        using var server = new CredentialServer();
        var check = await DirectChecks.LsRemoteAsync("git.corp.example/team/repo", server.RepoUrl, Env(), Context(), CancellationToken.None);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Equal(CauseIds.GitAuthRequired, check.Cause);
        // git's own words with GIT_TERMINAL_PROMPT=0, which the go command sets too.
        Assert.Contains("terminal prompts disabled", check.Detail, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(check.Fix));
    }

    [Fact]
    public async Task LsRemoteAsync_NetrcPasswordRefused_NamesGitAuthRequiredAndNeverShowsThePassword()
    {
        const string password = "s3cret-Hunter2";
        File.WriteAllText(Path.Combine(_home, ".netrc"), $"machine 127.0.0.1 login builder password {password}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(_home, ".netrc"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var server = new CredentialServer();
        var check = await DirectChecks.LsRemoteAsync("git.corp.example/team/repo", server.RepoUrl, Env(), Context(), CancellationToken.None);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Equal(CauseIds.GitAuthRequired, check.Cause);
        // git 2.39 sends the .netrc credentials on its second request and, refused again, asks for a user
        // name it may not prompt for: the same words as having no credentials at all.
        Assert.Contains("could not read Username", check.Detail, StringComparison.Ordinal);
        Assert.True(server.SawCredentials, "git should have sent the .netrc credentials from the HOME the doctor was given");
        Assert.DoesNotContain(password, check.Detail + check.Fix + check.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LsRemoteAsync_GitNotOnPath_NamesGitFailed()
    {
        var empty = TestEnvironment.NewTempDir("directchecks-nopath");
        var env = Env(new Dictionary<string, string?> { ["PATH"] = empty });
        var check = await DirectChecks.LsRemoteAsync("127.0.0.1/demo.git", "git://127.0.0.1:1/demo.git", env, Context(), CancellationToken.None);

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Equal(CauseIds.GitFailed, check.Cause);
        Assert.Equal("sudo apt-get install git", check.Fix);
    }

    [Fact]
    public async Task SshBatchModeAsync_NoSshRewriteForHost_ChecksNothing()
    {
        File.WriteAllText(Path.Combine(_home, ".gitconfig"), "[url \"ssh://git@other.example/\"]\n\tinsteadOf = https://other.example/\n");
        var check = await DirectChecks.SshBatchModeAsync("git.corp.example/team/repo", "git.corp.example", Env(), Context(), CancellationToken.None);

        Assert.Null(check);
    }

    private Func<string, string?> Env(Dictionary<string, string?>? extra = null)
    {
        var vars = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HOME"] = _home,
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["XDG_CONFIG_HOME"] = Path.Combine(_home, ".config"),
            ["GIT_CONFIG_NOSYSTEM"] = "1",
        };
        foreach (var (k, v) in extra ?? [])
        {
            vars[k] = v;
        }

        return name => vars.GetValueOrDefault(name);
    }

    private static ProbeContext Context() =>
        new(TimeProvider.System, DateTimeOffset.UtcNow.AddSeconds(30), new HostResolver(ResolvConf.Load()), GoHttpProxy.FromEnvironment(_ => null), new Lazy<TrustStore>(() => TrustStore.Load(_ => null)));

    private string CountRefs(string url)
    {
        var r = Git(null, "ls-remote", "-q", url);
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private int StartDaemon(out string repos)
    {
        repos = TestEnvironment.NewTempDir("directchecks-repos");
        var work = Path.Combine(repos, "work");
        Directory.CreateDirectory(work);
        Git(work, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(work, "go.mod"), "module 127.0.0.1/demo.git\n");
        Git(work, "add", ".");
        Git(work, "commit", "-q", "-m", "first");
        Git(work, "tag", "v1.0.0");
        Git(work, "tag", "-a", "-m", "annotated", "v1.1.0");
        Git(repos, "clone", "-q", "--bare", work, Path.Combine(repos, "demo.git"));

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = FreePort.Next();
            var psi = new ProcessStartInfo("git") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "daemon", "--listen=127.0.0.1", $"--port={port}", "--base-path=" + repos, "--export-all", "--reuseaddr", repos })
            {
                psi.ArgumentList.Add(a);
            }

            var p = Process.Start(psi)!;
            _daemons.Add(p);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline && !p.HasExited)
            {
                try
                {
                    using var c = new TcpClient();
                    c.Connect(IPAddress.Loopback, port);
                    return port;
                }
                catch (SocketException)
                {
                    Thread.Sleep(50);
                }
            }
        }

        throw new InvalidOperationException("git daemon did not start");
    }

    private ProcessResult Git(string? dir, params string[] args)
    {
        var env = new Dictionary<string, string?>
        {
            ["HOME"] = _home, ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_AUTHOR_NAME"] = "t", ["GIT_AUTHOR_EMAIL"] = "t@example.test",
            ["GIT_COMMITTER_NAME"] = "t", ["GIT_COMMITTER_EMAIL"] = "t@example.test",
        };
        var r = ProcessRunner.Run("git", args, dir, env, timeout: TimeSpan.FromSeconds(30));
        Assert.True(r.ExitCode == 0, $"git {string.Join(' ', args)}: {r.StdErr}");
        return r;
    }

    /// <summary>A smart-HTTP git endpoint that refuses every request with 401, and notes whether credentials came.</summary>
    private sealed class CredentialServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public CredentialServer()
        {
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public string RepoUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/team/repo.git";

        public bool SawCredentials { get; private set; }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                _loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // the accept loop ends with the listener
            }

            _stop.Dispose();
        }

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                using (client)
                {
                    var stream = client.GetStream();
                    var head = await ReadHeadAsync(stream);
                    var auth = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Authorization: Basic ", StringComparison.OrdinalIgnoreCase));
                    SawCredentials |= auth is not null;
                    // Never the right answer: the test is about what git says when it is refused.
                    var body = "credentials refused\n";
                    var response = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\nContent-Type: text/plain\r\n" +
                        $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
                }
            }
        }

        private static async Task<string> ReadHeadAsync(NetworkStream stream)
        {
            var buffer = new byte[8192];
            var total = 0;
            while (total < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(total));
                if (n == 0)
                {
                    break;
                }

                total += n;
                if (Encoding.ASCII.GetString(buffer, 0, total).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    break;
                }
            }

            return Encoding.ASCII.GetString(buffer, 0, total);
        }
    }
}
