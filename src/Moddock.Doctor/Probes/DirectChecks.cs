using System.Diagnostics;
using System.Text.RegularExpressions;
using Moddock.Doctor.Explain;
using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Probes;

/// <summary>
/// Direct mode: git present, credentials configured (.netrc machines, url.*.insteadOf, credential helpers —
/// names only, never secrets), and `git ls-remote` of each direct module's repository with the environment the
/// go command sets (GIT_TERMINAL_PROMPT=0, ssh BatchMode=yes, GCM_INTERACTIVE=never), its failure read with the
/// explain rules.
/// </summary>
internal static partial class DirectChecks
{
    public static async Task<List<DoctorCheck>> ToolingAsync(Func<string, string?> env, ProbeContext ctx, CancellationToken ct)
    {
        var checks = new List<DoctorCheck>();
        var git = Which(env, "git");
        if (git is null)
        {
            checks.Add(new DoctorCheck("git", null, Where.Vcs, CheckStatus.Fail, CauseIds.GitFailed, "git is not on PATH: the go command cannot fetch modules directly", "sudo apt-get install git", 0));
            return checks;
        }

        var start = ctx.Time.GetTimestamp();
        var (code, output, _) = await RunAsync(git, ["--version"], env, ctx.Remaining, ct).ConfigureAwait(false);
        checks.Add(code == 0 ? DoctorCheck.Ok("git", git, output.Trim(), ctx.ElapsedMs(start), Where.Vcs)
            : new DoctorCheck("git", git, Where.Vcs, CheckStatus.Fail, CauseIds.GitFailed, "git --version failed", "sudo apt-get install git", ctx.ElapsedMs(start)));

        var netrc = env("NETRC") is { Length: > 0 } n ? n : Path.Combine(env("HOME") ?? "/", ".netrc");
        if (File.Exists(netrc))
        {
            var machines = new List<string>();
            try
            {
                var tokens = File.ReadAllText(netrc).Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
                for (var i = 0; i + 1 < tokens.Length; i++)
                {
                    if (tokens[i] == "machine")
                    {
                        machines.Add(tokens[i + 1]);
                    }
                }

                var mode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(netrc);
                var open = (mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0;
                checks.Add(new DoctorCheck(".netrc", netrc, Where.Local, open ? CheckStatus.Warn : CheckStatus.Ok, null,
                    $"credentials for {machines.Count} machine(s): {string.Join(", ", machines.Take(10))} (passwords not shown)" + (open ? "; readable by others" : string.Empty),
                    open ? "chmod 600 " + netrc : null, 0));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                checks.Add(new DoctorCheck(".netrc", netrc, Where.Local, CheckStatus.Warn, null, "cannot read: " + e.Message, "ls -l " + netrc, 0));
            }
        }
        else
        {
            checks.Add(DoctorCheck.Ok(".netrc", netrc, "none (fine for public modules; private https repositories need credentials)", 0, Where.Local));
        }

        var (_, insteadOf, _) = await RunAsync(git, ["config", "--get-regexp", @"^url\..*\.insteadof$"], env, ctx.Remaining, ct).ConfigureAwait(false);
        var rules = insteadOf.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(SecretRedactor.Redact).ToList();
        checks.Add(DoctorCheck.Ok("git insteadOf", null, rules.Count == 0 ? "no url.*.insteadOf rewrites" : string.Join("; ", rules), 0, Where.Vcs));

        var (_, helpers, _) = await RunAsync(git, ["config", "--get-all", "credential.helper"], env, ctx.Remaining, ct).ConfigureAwait(false);
        var names = helpers.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(h => h.TrimStart().StartsWith('!') ? "(inline shell helper, not shown)" : SecretRedactor.Redact(h.Split(' ')[0])).ToList();
        checks.Add(DoctorCheck.Ok("git credential helper", null, names.Count == 0 ? "none configured" : string.Join(", ", names), 0, Where.Vcs));
        return checks;
    }

    /// <summary>`git ls-remote` as the go command runs it, without prompts; SSH runs with BatchMode=yes.</summary>
    public static async Task<DoctorCheck> LsRemoteAsync(string module, string repoUrl, Func<string, string?> env, ProbeContext ctx, CancellationToken ct)
    {
        var git = Which(env, "git");
        var name = "git ls-remote " + SecretRedactor.Redact(repoUrl);
        if (git is null)
        {
            return new DoctorCheck(name, module, Where.Vcs, CheckStatus.Fail, CauseIds.GitFailed, "git is not on PATH", "sudo apt-get install git", 0);
        }

        ctx.Progress?.Invoke("git ls-remote " + SecretRedactor.Redact(repoUrl));
        var start = ctx.Time.GetTimestamp();
        var (code, stdout, stderr) = await RunAsync(git, ["ls-remote", "-q", repoUrl], env, ctx.Remaining, ct, gitEnv: true).ConfigureAwait(false);
        var ms = ctx.ElapsedMs(start);
        if (code == 0)
        {
            return DoctorCheck.Ok(name, module, $"{stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} refs", ms, Where.Vcs);
        }

        var group = new FailureGroup();
        var i = 0;
        foreach (var line in stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(20))
        {
            group.Add(++i, "\t" + line);
        }

        var finding = FailureClassifier.Classify(group);
        var cause = code == -1 ? CauseIds.TcpTimeout : finding?.Cause ?? CauseIds.GitFailed;
        var host = Uri.TryCreate(repoUrl, UriKind.Absolute, out var u) ? u.Host : repoUrl;
        return new DoctorCheck(name, module, Where.Vcs, CheckStatus.Fail, cause,
            code == -1 ? "git ls-remote did not finish before the deadline" : SecretRedactor.Redact(string.Join(" / ", stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(3))),
            FixSuggestions.For(cause, Where.Vcs, new FixContext(host, module, repoUrl, null)), ms);
    }

    /// <summary>
    /// When url.*.insteadOf sends this host to ssh, the go command's git runs ssh in BatchMode: check that
    /// ssh can authenticate without a prompt (`ssh -o BatchMode=yes -T git@host`).
    /// </summary>
    public static async Task<DoctorCheck?> SshBatchModeAsync(string module, string host, Func<string, string?> env, ProbeContext ctx, CancellationToken ct)
    {
        var git = Which(env, "git");
        var ssh = Which(env, "ssh");
        if (git is null || ssh is null)
        {
            return null;
        }

        var (_, rules, _) = await RunAsync(git, ["config", "--get-regexp", @"^url\..*\.insteadof$"], env, ctx.Remaining, ct).ConfigureAwait(false);
        var viaSsh = rules.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Any(l => l.Contains(host, StringComparison.OrdinalIgnoreCase) && (l.Contains("git@", StringComparison.Ordinal) || l.Contains("ssh://", StringComparison.Ordinal)));
        if (!viaSsh)
        {
            return null;
        }

        var start = ctx.Time.GetTimestamp();
        var seconds = Math.Max(1, (int)ctx.Remaining.TotalSeconds);
        var (code, _, stderr) = await RunAsync(ssh, ["-o", "BatchMode=yes", "-o", $"ConnectTimeout={seconds}", "-o", "StrictHostKeyChecking=yes", "-T", "git@" + host], env, ctx.Remaining, ct).ConfigureAwait(false);
        var ms = ctx.ElapsedMs(start);
        var text = SecretRedactor.Redact(string.Join(" / ", stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(2)));

        // Forges answer a successful key login with a greeting and exit 1; only an auth failure is a failure.
        if (stderr.Contains("Permission denied", StringComparison.Ordinal) || stderr.Contains("Host key verification failed", StringComparison.Ordinal))
        {
            return new DoctorCheck("ssh BatchMode git@" + host, module, Where.Vcs, CheckStatus.Fail, CauseIds.GitSshAuth, text, FixSuggestions.For(CauseIds.GitSshAuth, Where.Vcs, new FixContext(host, module, null, null)), ms);
        }

        if (code == -1 || stderr.Contains("timed out", StringComparison.OrdinalIgnoreCase))
        {
            return new DoctorCheck("ssh BatchMode git@" + host, module, Where.Vcs, CheckStatus.Fail, CauseIds.TcpTimeout, "ssh: connect timed out", FixSuggestions.For(CauseIds.TcpTimeout, Where.Vcs, new FixContext(host, module, null, null)), ms);
        }

        return DoctorCheck.Ok("ssh BatchMode git@" + host, module, text.Length > 0 ? text : "authenticated without a prompt", ms, Where.Vcs);
    }

    /// <summary>The repository URL for well-known hosts and .git-qualified paths (cmd/go/internal/vcs static rules); null means a ?go-get=1 lookup is needed.</summary>
    public static string? StaticRepo(string module)
    {
        var m = KnownHost().Match(module);
        if (m.Success)
        {
            return "https://" + m.Value;
        }

        var g = GitSuffix().Match(module);
        return g.Success ? "https://" + g.Groups[1].Value : null;
    }

    /// <summary>The go-import meta tag's repository URL for a module, from the ?go-get=1 page.</summary>
    public static (string? Repo, string? Error) ParseGoImport(string html, string module)
    {
        foreach (Match m in MetaTag().Matches(html))
        {
            var f = m.Groups[1].Value.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 3 && (module == f[0] || module.StartsWith(f[0] + "/", StringComparison.Ordinal)) && f[1] != "mod")
            {
                return (f[2], null);
            }
        }

        return (null, "no go-import meta tags for " + module);
    }

    public static string? Which(Func<string, string?> env, string tool) =>
        (env("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, string[] args, Func<string, string?> env, TimeSpan timeout, CancellationToken ct, bool gitEnv = false)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // git and ssh read credentials and rewrites from the user's environment (HOME/.netrc, ~/.gitconfig,
        // the ssh agent, the HTTP(S) proxy): run them with the environment the doctor was given, not our own.
        foreach (var name in ChildEnvironment)
        {
            if (env(name) is { } value)
            {
                psi.Environment[name] = value;
            }
        }

        if (gitEnv)
        {
            // What cmd/go/internal/vcs sets when the user has not: no prompts, ssh in batch mode.
            psi.Environment["GIT_TERMINAL_PROMPT"] = env("GIT_TERMINAL_PROMPT") ?? "0";
            psi.Environment["GIT_SSH_COMMAND"] = env("GIT_SSH_COMMAND") ?? "ssh -o ControlMaster=no -o BatchMode=yes";
            psi.Environment["GCM_INTERACTIVE"] = env("GCM_INTERACTIVE") ?? "never";
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var e = p.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            return (-1, string.Empty, string.Empty);
        }

        return (p.ExitCode, await o.ConfigureAwait(false), await e.ConfigureAwait(false));
    }

    private static readonly string[] ChildEnvironment =
    [
        "HOME", "PATH", "NETRC", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "SSH_AUTH_SOCK",
        "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR",
    ];

    [GeneratedRegex(@"^(?:github\.com|bitbucket\.org)/[A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-]+")]
    private static partial Regex KnownHost();

    [GeneratedRegex(@"^(.+?\.git)(?:/|$)")]
    private static partial Regex GitSuffix();

    [GeneratedRegex(@"<meta\s+name=[""']go-import[""']\s+content=[""']([^""']+)[""']", RegexOptions.IgnoreCase)]
    private static partial Regex MetaTag();
}
