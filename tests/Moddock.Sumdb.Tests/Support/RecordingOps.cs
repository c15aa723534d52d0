using Moddock.Sumdb.Client;

namespace Moddock.Sumdb.Tests.Support;

/// <summary>Wraps real ops: counts remote reads, can rewrite remote answers (tampering) and records security errors.</summary>
internal sealed class RecordingOps(ISumdbClientOps inner) : ISumdbClientOps
{
    public List<string> RemotePaths { get; } = [];

    public List<string> SecurityErrors { get; } = [];

    public Func<string, byte[], byte[]>? Tamper { get; set; }

    /// <summary>When set, remote reads of paths it matches fail as unreachable (a timeout or refused connection).</summary>
    public Func<string, bool>? Unreachable { get; set; }

    /// <summary>When set, remote reads wait for it (after being recorded), so a test can make requests overlap.</summary>
    public TaskCompletionSource? RemoteGate { get; set; }

    /// <summary>When set, writes of lookup records to the disk cache signal <see cref="LookupCacheWriteStarted"/> and wait for it.</summary>
    public TaskCompletionSource? LookupCacheWriteGate { get; set; }

    public TaskCompletionSource LookupCacheWriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int CountRemote(string prefix)
    {
        lock (RemotePaths)
        {
            return RemotePaths.Count(p => p.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    public async Task<RemoteResult> ReadRemoteAsync(string path, CancellationToken ct)
    {
        lock (RemotePaths)
        {
            RemotePaths.Add(path);
        }

        if (RemoteGate is { } gate)
        {
            await gate.Task.WaitAsync(ct);
        }

        if (Unreachable?.Invoke(path) == true)
        {
            return RemoteResult.Fail(RemoteFailure.Unavailable, path + ": timed out (test)");
        }

        var r = await inner.ReadRemoteAsync(path, ct);
        return r.Ok && Tamper is not null ? RemoteResult.Success(Tamper(path, r.Data!)) : r;
    }

    public Task<byte[]> ReadLatestAsync(string name, CancellationToken ct) => inner.ReadLatestAsync(name, ct);

    public Task<bool> WriteLatestAsync(string name, byte[] old, byte[] updated, CancellationToken ct) => inner.WriteLatestAsync(name, old, updated, ct);

    public Task<byte[]?> ReadCacheAsync(string file, CancellationToken ct) => inner.ReadCacheAsync(file, ct);

    public async Task WriteCacheAsync(string file, byte[] data, CancellationToken ct)
    {
        if (LookupCacheWriteGate is { } gate && file.Contains("/lookup/", StringComparison.Ordinal))
        {
            LookupCacheWriteStarted.TrySetResult();
            await gate.Task.WaitAsync(ct);
        }

        await inner.WriteCacheAsync(file, data, ct);
    }

    public void SecurityError(string message)
    {
        SecurityErrors.Add(message);
        inner.SecurityError(message);
    }
}
