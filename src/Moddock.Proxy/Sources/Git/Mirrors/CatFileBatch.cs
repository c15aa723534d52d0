using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Moddock.Proxy.Sources.Git.Mirrors;

/// <summary>
/// One long-running `git cat-file --batch` per mirror, answering many object reads (commits, go.mod,
/// LICENSE) over a pipe instead of one git process each. Requests are serialized; each is bounded by
/// the git timeout, and a timed-out, cancelled or broken process is killed and started afresh on the
/// next read. The process is stopped after it has been idle for a while, by Reset after a fetch
/// (so abbreviated hashes see the new packs), and by the shared CatFileBatchPool when another mirror
/// needs room under the global bound; when there is none, a read falls back to a one-shot command.
/// </summary>
internal sealed class CatFileBatch : IDisposable
{
    private readonly GitRunner _git;
    private readonly string _gitDir;
    private readonly CatFileBatchPool _pool;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ITimer _idleTimer;
    private readonly TimeSpan _idle;
    private Process? _process;
    private Stream? _stdout;
    private bool _disposed;

    public CatFileBatch(GitRunner git, string gitDir, TimeProvider time, TimeSpan idle, CatFileBatchPool pool)
    {
        _git = git;
        _gitDir = gitDir;
        _idle = idle;
        _pool = pool;
        _idleTimer = time.CreateTimer(_ => TryStopIdle(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Processes started so far (for tests and the benchmark's process count).</summary>
    public int Starts { get; private set; }

    /// <summary>Reads answered by a one-shot `git cat-file` because every batch process was busy.</summary>
    public int OneShots { get; private set; }

    /// <summary>Whether this batch's process is running now.</summary>
    public bool IsRunning
    {
        get
        {
            var p = _process;
            try
            {
                return p is { HasExited: false };
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

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
            _pool.Busy(this);
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
            var keep = !_disposed && _process is not null;
            if (keep)
            {
                _idleTimer.Change(_idle, Timeout.InfiniteTimeSpan);
            }

            _gate.Release();
            if (keep)
            {
                // Only once the gate is free: a batch that the pool wakes to make room must be able to
                // take it (if another read took it first, that read marks it idle again when it ends).
                _pool.Idle(this);
            }
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

    /// <summary>
    /// Stops the process unless a read (or anything else) holds the gate right now; never waits. Used by
    /// the idle timer and by the pool to make room for another mirror's batch.
    /// </summary>
    public bool TryStopIdle()
    {
        if (!_gate.Wait(0))
        {
            return false;
        }

        try
        {
            StopLocked();
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(string Oid, byte[] Data)?> ReadLockedAsync(string rev, string type, long max, CancellationToken ct)
    {
        var stdout = await StartAsync(ct).ConfigureAwait(false);
        if (stdout is null)
        {
            return await ReadOneShotAsync(rev, type, max, ct).ConfigureAwait(false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_git.Timeout);
        try
        {
            var stdin = _process!.StandardInput.BaseStream;
            await stdin.WriteAsync(Encoding.UTF8.GetBytes(rev + "\n"), timeout.Token).ConfigureAwait(false);
            await stdin.FlushAsync(timeout.Token).ConfigureAwait(false);

            if (await ReadHeaderAsync(stdout, timeout.Token).ConfigureAwait(false) is not { } h)
            {
                return null;
            }

            if (h.Size > max)
            {
                // Reading it only to throw it away could take long: drop the process instead.
                StopLocked();
                throw TooLarge(rev, max);
            }

            var data = new byte[h.Size + 1];
            await stdout.ReadExactlyAsync(data, timeout.Token).ConfigureAwait(false);
            return h.Type == type ? (h.Oid, data[..^1]) : null;
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

    /// <summary>
    /// The same read through a one-shot `git cat-file --batch` under GitRunner's cap, for when every
    /// batch process allowed stayed busy for a whole git timeout.
    /// </summary>
    private async Task<(string Oid, byte[] Data)?> ReadOneShotAsync(string rev, string type, long max, CancellationToken ct)
    {
        OneShots++;
        GitCommandResult r;
        try
        {
            // The header line ("<oid> <type> <size>") and the trailing newline come on top of the object.
            r = await _git.RunAsync(_gitDir, ["cat-file", "--batch"], ct, maxStdOut: max + 4096 + 2, stdin: Encoding.UTF8.GetBytes(rev + "\n"))
                .ConfigureAwait(false);
        }
        catch (DirectFailureException e) when (e.Kind == DirectFailureKind.TooLarge)
        {
            throw TooLarge(rev, max);
        }

        if (!r.Ok)
        {
            // Not an IOException: that would retry, and wait for room in the pool once more.
            throw new DirectFailureException(DirectFailureKind.Other, "git cat-file failed: " + GitMirror.FirstLine(r.StdErr));
        }

        using var stdout = new MemoryStream(r.StdOut, writable: false);
        try
        {
            if (await ReadHeaderAsync(stdout, ct).ConfigureAwait(false) is not { } h)
            {
                return null;
            }

            if (h.Size > max)
            {
                throw TooLarge(rev, max);
            }

            var data = new byte[h.Size];
            await stdout.ReadExactlyAsync(data, ct).ConfigureAwait(false);
            return h.Type == type ? (h.Oid, data) : null;
        }
        catch (IOException e)
        {
            throw new DirectFailureException(DirectFailureKind.Other, "git cat-file: unexpected answer: " + e.Message);
        }
    }

    /// <summary>"&lt;oid&gt; &lt;type&gt; &lt;size&gt;\n", or null for "&lt;rev&gt; missing\n" / "&lt;rev&gt; ambiguous\n".</summary>
    private static async Task<(string Oid, string Type, long Size)?> ReadHeaderAsync(Stream stdout, CancellationToken ct)
    {
        var header = await ReadLineAsync(stdout, ct).ConfigureAwait(false);
        var f = header.Split(' ');
        if (f.Length == 3 && long.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return (f[0], f[1], size);
        }

        if (header.EndsWith(" missing", StringComparison.Ordinal) || header.EndsWith(" ambiguous", StringComparison.Ordinal))
        {
            return null;
        }

        throw new IOException("git cat-file --batch: unexpected answer");
    }

    private static DirectFailureException TooLarge(string rev, long max) =>
        new(DirectFailureKind.TooLarge, $"{rev} is larger than {max} bytes");

    /// <summary>This batch's process' stdout, started if needed; null when the pool has no room for it.</summary>
    private async Task<Stream?> StartAsync(CancellationToken ct)
    {
        if (_process is { HasExited: false } && _stdout is not null)
        {
            return _stdout;
        }

        StopLocked();
        if (!await _pool.ReserveAsync(this, _git.Timeout, ct).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            _process = _git.StartLongLived(_gitDir, ["cat-file", "--batch"]);
        }
        catch
        {
            _pool.Released(this);
            throw;
        }

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

    private void StopLocked()
    {
        var p = _process;
        _process = null;
        _stdout = null;
        try
        {
            if (p is not null && !p.HasExited)
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
        finally
        {
            p?.Dispose();

            // Released only once the process is gone, so the bound holds for processes, not just objects.
            _pool.Released(this);
        }
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
