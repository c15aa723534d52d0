using System.Diagnostics;
using System.Text;
using Moddock.Proxy.Sources.Git.Credentials;

namespace Moddock.Proxy.Sources.Git;

/// <summary>
/// Runs the git CLI: never prompting, at most N processes at once across all repositories, each
/// under a timeout that kills its whole process tree (ssh and remote helpers included).
/// </summary>
internal sealed class GitRunner(int maxConcurrent, TimeSpan timeout, string? sshCommand, SecretRedactorSource redactor)
{
    private const int MaxStdErr = 64 * 1024;
    private readonly SemaphoreSlim _slots = new(Math.Max(1, maxConcurrent));
    private long _started;

    /// <summary>git processes started so far by this runner (the benchmark reports it per fetch).</summary>
    public long ProcessesStarted => Interlocked.Read(ref _started);

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>The configured cap on one-shot git processes (also the bound on live cat-file --batch ones).</summary>
    public int MaxConcurrent { get; } = Math.Max(1, maxConcurrent);

    private static readonly bool Trace = System.Environment.GetEnvironmentVariable("MODDOCK_GIT_TRACE") == "1";

    /// <summary>Runs git; stdout goes to memory (capped at maxStdOut bytes) or to outputFile.</summary>
    public async Task<GitCommandResult> RunAsync(
        string? gitDir,
        IReadOnlyList<string> args,
        CancellationToken ct,
        IReadOnlyList<KeyValuePair<string, string>>? config = null,
        long maxStdOut = 64L << 20,
        string? outputFile = null,
        TimeSpan? timeoutOverride = null,
        byte[]? stdin = null)
    {
        var psi = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = gitDir ?? Path.GetTempPath(),
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        PrepareEnvironment(psi, gitDir, config);

        await _slots.WaitAsync(ct).ConfigureAwait(false);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return await RunStartedAsync(psi, args, maxStdOut, outputFile, timeoutOverride ?? Timeout, stdin, ct).ConfigureAwait(false);
        }
        finally
        {
            if (Trace)
            {
                await Console.Error.WriteLineAsync($"git {string.Join(' ', args)} {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0}ms").ConfigureAwait(false);
            }

            _slots.Release();
        }
    }

    /// <summary>
    /// Starts a long-running git process (cat-file --batch) with the same environment as RunAsync. It is
    /// not counted against this runner's cap (it idles between requests): CatFileBatchPool bounds how
    /// many live at once; its owner bounds each request and kills it. Its stderr is drained and dropped.
    /// </summary>
    public Process StartLongLived(string gitDir, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = gitDir,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        PrepareEnvironment(psi, gitDir, null);
        var process = new Process { StartInfo = psi };
        if (!process.Start())
        {
            throw new DirectFailureException(DirectFailureKind.Other, "could not start git");
        }

        Interlocked.Increment(ref _started);
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        if (Trace)
        {
            Console.Error.WriteLine($"git {string.Join(' ', args)} (long-running)");
        }

        return process;
    }

    private void PrepareEnvironment(ProcessStartInfo psi, string? gitDir, IReadOnlyList<KeyValuePair<string, string>>? config)
    {
        var env = psi.Environment;
        if (gitDir is not null)
        {
            env["GIT_DIR"] = gitDir;
        }
        else
        {
            env.Remove("GIT_DIR");
        }

        // Same defaults as cmd/go (codehost.Run): set only when the operator has not.
        SetIfUnset(env, "GIT_TERMINAL_PROMPT", "0");
        SetIfUnset(env, "GCM_INTERACTIVE", "never");
        if (sshCommand is not null)
        {
            env["GIT_SSH_COMMAND"] = sshCommand;
        }
        else
        {
            SetIfUnset(env, "GIT_SSH_COMMAND", "ssh -o ControlMaster=no -o BatchMode=yes");
        }

        // A credential helper or askpass program could prompt or pop up a window: never.
        env["GIT_ASKPASS"] = "true";
        env["SSH_ASKPASS"] = "true";
        env.Remove("DISPLAY");

        if (config is { Count: > 0 })
        {
            // Append to any GIT_CONFIG_COUNT the operator (or a test) already set.
            var n = int.TryParse(env.TryGetValue("GIT_CONFIG_COUNT", out var c) ? c : null, out var parsed) ? parsed : 0;
            foreach (var (k, v) in config)
            {
                env[$"GIT_CONFIG_KEY_{n}"] = k;
                env[$"GIT_CONFIG_VALUE_{n}"] = v;
                n++;
            }

            env["GIT_CONFIG_COUNT"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static void SetIfUnset(IDictionary<string, string?> env, string key, string value)
    {
        if (!env.TryGetValue(key, out var v) || string.IsNullOrEmpty(v))
        {
            env[key] = value;
        }
    }

    private async Task<GitCommandResult> RunStartedAsync(
        ProcessStartInfo psi, IReadOnlyList<string> args, long maxStdOut, string? outputFile, TimeSpan timeout, byte[]? stdin, CancellationToken ct)
    {
        using var process = new Process { StartInfo = psi };
        if (!process.Start())
        {
            throw new DirectFailureException(DirectFailureKind.Other, "could not start git");
        }

        Interlocked.Increment(ref _started);
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutCts.CancelAfter(timeout);
        var tooLarge = false;
        using var killer = timeoutCts.Token.Register(() => Kill(process));
        if (stdin is not null)
        {
            // Small inputs only (a line or two): they fit the pipe, so writing before reading cannot block on git.
            try
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin, timeoutCts.Token).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // git exited early; its exit code and stderr tell why.
            }
            catch (OperationCanceledException)
            {
                // Timed out or cancelled: reported below.
            }
        }

        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // git already closed its end.
        }

        var stderrTask = ReadCappedAsync(process.StandardError.BaseStream, MaxStdErr);
        byte[] stdout = [];
        try
        {
            if (outputFile is not null)
            {
                await using var file = new FileStream(outputFile, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                tooLarge = !await CopyCappedAsync(process.StandardOutput.BaseStream, file, maxStdOut, timeoutCts.Token).ConfigureAwait(false);
            }
            else
            {
                using var ms = new MemoryStream();
                tooLarge = !await CopyCappedAsync(process.StandardOutput.BaseStream, ms, maxStdOut, timeoutCts.Token).ConfigureAwait(false);
                stdout = ms.ToArray();
            }

            if (tooLarge)
            {
                Kill(process);
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var stderr = redactor.Current.Redact(Encoding.UTF8.GetString(await stderrTask.ConfigureAwait(false)));
        ct.ThrowIfCancellationRequested();
        if (timeoutCts.IsCancellationRequested)
        {
            throw new DirectFailureException(DirectFailureKind.Timeout, $"git {Describe(args)} timed out after {timeout.TotalSeconds:0.#}s");
        }

        if (tooLarge)
        {
            throw new DirectFailureException(DirectFailureKind.TooLarge, $"git {Describe(args)} output exceeds {maxStdOut} bytes");
        }

        return new GitCommandResult(process.ExitCode, stdout, stderr);
    }

    public static string Describe(IReadOnlyList<string> args) =>
        args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('=', StringComparison.Ordinal)) ?? "command";

    private static void Kill(Process p)
    {
        try
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private static async Task<bool> CopyCappedAsync(Stream from, Stream to, long max, CancellationToken ct)
    {
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = await from.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            total += n;
            if (total > max)
            {
                return false;
            }

            await to.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
        }

        return true;
    }

    private static async Task<byte[]> ReadCappedAsync(Stream from, int max)
    {
        using var ms = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = await from.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (ms.Length < max)
            {
                ms.Write(buffer, 0, (int)Math.Min(n, max - ms.Length));
            }
        }

        return ms.ToArray();
    }
}
