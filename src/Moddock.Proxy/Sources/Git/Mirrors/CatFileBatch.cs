using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Moddock.Proxy.Sources.Git.Mirrors;

/// <summary>
/// One long-running `git cat-file --batch` per mirror, answering many object reads (commits, go.mod,
/// LICENSE) over a pipe instead of one git process each. Requests are serialized; each is bounded by
/// the git timeout, and a timed-out, cancelled or broken process is killed and started afresh on the
/// next read. The process is stopped after it has been idle for a while, and by Reset after a fetch
/// (so abbreviated hashes see the new packs).
/// </summary>
internal sealed class CatFileBatch : IDisposable
{
    private readonly GitRunner _git;
    private readonly string _gitDir;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ITimer _idleTimer;
    private readonly TimeSpan _idle;
    private Process? _process;
    private Stream? _stdout;
    private bool _disposed;

    public CatFileBatch(GitRunner git, string gitDir, TimeProvider time, TimeSpan idle)
    {
        _git = git;
        _gitDir = gitDir;
        _idle = idle;
        _idleTimer = time.CreateTimer(_ => StopIfIdle(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Processes started so far (for tests and the benchmark's process count).</summary>
    public int Starts { get; private set; }

    /// <summary>
    /// The object rev names (any expression git accepts: a hash, a prefix, HASH^{commit}, HASH:path), or
    /// null when it is missing, ambiguous or not of the wanted type. Objects larger than max are TooLarge.
    /// </summary>
    public async Task<(string Oid, byte[] Data)?> ReadAsync(string rev, string type, long max, CancellationToken ct)
    {
        if (rev.Length == 0 || rev.AsSpan().IndexOfAny('\n', '\r', '\0') >= 0)
        {
            return null;
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _idleTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await ReadLockedAsync(rev, type, max, ct).ConfigureAwait(false);
                }
                catch (IOException) when (attempt == 1 && !ct.IsCancellationRequested)
                {
                    // The process went away (killed when idle, or by an operator): start another, once.
                    StopLocked();
                }
            }
        }
        finally
        {
            if (!_disposed)
            {
                _idleTimer.Change(_idle, Timeout.InfiniteTimeSpan);
            }

            _gate.Release();
        }
    }

    /// <summary>Stops the process (after a fetch, so the next read opens the new packs).</summary>
    public async Task ResetAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            StopLocked();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(string Oid, byte[] Data)?> ReadLockedAsync(string rev, string type, long max, CancellationToken ct)
    {
        var stdout = Start();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_git.Timeout);
        try
        {
            var stdin = _process!.StandardInput.BaseStream;
            await stdin.WriteAsync(Encoding.UTF8.GetBytes(rev + "\n"), timeout.Token).ConfigureAwait(false);
            await stdin.FlushAsync(timeout.Token).ConfigureAwait(false);

            // "<oid> <type> <size>\n<contents>\n", or "<rev> missing\n" / "<rev> ambiguous\n".
            var header = await ReadLineAsync(stdout, timeout.Token).ConfigureAwait(false);
            var f = header.Split(' ');
            if (f.Length != 3 || !long.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                if (header.EndsWith(" missing", StringComparison.Ordinal) || header.EndsWith(" ambiguous", StringComparison.Ordinal))
                {
                    return null;
                }

                throw new IOException("git cat-file --batch: unexpected answer");
            }

            if (size > max)
            {
                // Reading it only to throw it away could take long: drop the process instead.
                StopLocked();
                throw new DirectFailureException(DirectFailureKind.TooLarge, $"{rev} is larger than {max} bytes");
            }

            var data = new byte[size + 1];
            await stdout.ReadExactlyAsync(data, timeout.Token).ConfigureAwait(false);
            return f[1] == type ? (f[0], data[..^1]) : null;
        }
        catch (OperationCanceledException)
        {
            StopLocked();
            ct.ThrowIfCancellationRequested();
            throw new DirectFailureException(DirectFailureKind.Timeout, $"git cat-file timed out after {_git.Timeout.TotalSeconds:0.#}s");
        }
        catch (EndOfStreamException e)
        {
            StopLocked();
            throw new IOException("git cat-file --batch ended", e);
        }
    }

    private Stream Start()
    {
        if (_process is { HasExited: false } && _stdout is not null)
        {
            return _stdout;
        }

        StopLocked();
        _process = _git.StartLongLived(_gitDir, ["cat-file", "--batch"]);
        _stdout = new BufferedStream(_process.StandardOutput.BaseStream, 1 << 16);
        Starts++;
        return _stdout;
    }

    private static async Task<string> ReadLineAsync(Stream s, CancellationToken ct)
    {
        var line = new List<byte>(64);
        var one = new byte[1];
        while (true)
        {
            if (await s.ReadAsync(one, ct).ConfigureAwait(false) == 0)
            {
                throw new EndOfStreamException();
            }

            if (one[0] == '\n')
            {
                return Encoding.UTF8.GetString([.. line]);
            }

            if (line.Count > 4096)
            {
                throw new IOException("git cat-file --batch: header too long");
            }

            line.Add(one[0]);
        }
    }

    private void StopIfIdle()
    {
        if (_gate.Wait(0))
        {
            try
            {
                StopLocked();
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private void StopLocked()
    {
        var p = _process;
        _process = null;
        _stdout = null;
        if (p is null)
        {
            return;
        }

        try
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(5_000);
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

        p.Dispose();
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            _disposed = true;
            _idleTimer.Dispose();
            StopLocked();
        }
        finally
        {
            _gate.Release();
        }
    }
}
