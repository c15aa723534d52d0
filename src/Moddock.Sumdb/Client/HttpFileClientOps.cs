using System.Net;
using Microsoft.Extensions.Logging;

namespace Moddock.Sumdb.Client;

/// <summary>
/// The production <see cref="ISumdbClientOps"/>: remote reads over HTTP from the database base URL (cut off at
/// <see cref="SumdbLimits"/>), the cache and the persisted latest tree as files under a storage directory
/// (cache/NAME/lookup/..., cache/NAME/tile/..., config/NAME/latest). A full tile supersedes its partial ones,
/// which are then deleted. With <c>offline</c> set, nothing goes to the network.
/// </summary>
internal sealed class HttpFileClientOps(HttpClient http, Uri baseUrl, string storageDir, SumdbLimits limits, bool offline, ILogger logger) : ISumdbClientOps
{
    private readonly SemaphoreSlim _configLock = new(1, 1);

    public string CacheRoot => Path.Combine(storageDir, "cache");

    public async Task<RemoteResult> ReadRemoteAsync(string path, CancellationToken ct)
    {
        if (offline)
        {
            return RemoteResult.Fail(RemoteFailure.Unavailable, "offline: checksum database not contacted");
        }

        var url = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + path);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(limits.RequestTimeout);
        try
        {
            using var resp = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
            var body = await ReadLimitedAsync(resp.Content, limits.MaxResponseBytes, cts.Token).ConfigureAwait(false);
            if (body is null)
            {
                return RemoteResult.Fail(RemoteFailure.TooLarge, $"response from {url} exceeds {limits.MaxResponseBytes} bytes; cut off");
            }

            if (resp.StatusCode == HttpStatusCode.OK)
            {
                return RemoteResult.Success(body);
            }

            var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 512)).Trim();
            var reason = $"{url}: {(int)resp.StatusCode} {resp.ReasonPhrase}" + (text.Length > 0 ? ": " + text : "");
            return RemoteResult.Fail(resp.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone ? RemoteFailure.NotFound : RemoteFailure.Unavailable, reason);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return RemoteResult.Fail(RemoteFailure.Unavailable, $"{url}: timed out after {limits.RequestTimeout.TotalSeconds:0}s");
        }
        catch (HttpRequestException e)
        {
            return RemoteResult.Fail(RemoteFailure.Unavailable, $"{url}: {e.Message}");
        }
        catch (IOException e)
        {
            return RemoteResult.Fail(RemoteFailure.Unavailable, $"{url}: {e.Message}");
        }
    }

    public async Task<byte[]> ReadLatestAsync(string name, CancellationToken ct) =>
        SafeCachePath.TryResolve(Path.Combine(storageDir, "config"), name + "/latest", out var p)
            ? await AtomicFile.ReadAsync(p, ct).ConfigureAwait(false) ?? []
            : [];

    public async Task<bool> WriteLatestAsync(string name, byte[] old, byte[] updated, CancellationToken ct)
    {
        if (!SafeCachePath.TryResolve(Path.Combine(storageDir, "config"), name + "/latest", out var p))
        {
            return false;
        }

        await _configLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var current = await AtomicFile.ReadAsync(p, ct).ConfigureAwait(false) ?? [];
            if (!current.AsSpan().SequenceEqual(old))
            {
                return false;
            }

            await AtomicFile.WriteAsync(p, updated, ct).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _configLock.Release();
        }
    }

    public async Task<byte[]?> ReadCacheAsync(string file, CancellationToken ct) =>
        SafeCachePath.TryResolve(CacheRoot, file, out var p) ? await AtomicFile.ReadCachedAsync(p, ct).ConfigureAwait(false) : null;

    public async Task WriteCacheAsync(string file, byte[] data, CancellationToken ct)
    {
        if (!SafeCachePath.TryResolve(CacheRoot, file, out var p))
        {
            return;
        }

        try
        {
            await AtomicFile.WriteAsync(p, data, ct, durable: false).ConfigureAwait(false);
            // A full tile supersedes every partial one of the same tile (NNN.p/W lives in directory NNN.p).
            var partialDir = p + ".p";
            if (file.Contains("/tile/", StringComparison.Ordinal) && Directory.Exists(partialDir))
            {
                Directory.Delete(partialDir, recursive: true);
            }
        }
        catch (IOException e)
        {
            SumdbLog.Unavailable(logger, "cache", file, e.Message);
        }
    }

    /// <summary>
    /// Deletes the temp files of cache and tree writes that a killed process left (<c>NAME.tmp-xxxxxxxx</c>), when
    /// nothing has written to them since <paramref name="writtenBefore"/>: a live process sharing the storage keeps
    /// its own recent. Reads never look at them, so this only gives the space back.
    /// </summary>
    public int RemoveAbandonedTemps(DateTime writtenBefore)
    {
        var removed = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var dir in new[] { CacheRoot, Path.Combine(storageDir, "config") })
        {
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var temp in Directory.EnumerateFiles(dir, "*" + AtomicFile.TempMarker + "*", options))
            {
                try
                {
                    if (AtomicFile.IsTempName(temp) && File.GetLastWriteTimeUtc(temp) < writtenBefore)
                    {
                        File.Delete(temp);
                        removed++;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Gone already, or not ours to delete: either way nothing to do.
                }
            }
        }

        return removed;
    }

    public void SecurityError(string message)
    {
        // Logged loudly by the client itself; keep a copy next to the persisted tree for the operator.
        try
        {
            var dir = Path.Combine(storageDir, "security");
            Directory.CreateDirectory(dir);
            File.AppendAllText(Path.Combine(dir, "errors.log"), DateTimeOffset.UtcNow.ToString("O") + "\n" + message + "\n\n");
        }
        catch (IOException)
        {
        }
    }

    // Null when the body is longer than max (an endless response is cut off there).
    private static async Task<byte[]?> ReadLimitedAsync(HttpContent content, long max, CancellationToken ct)
    {
        if (content.Headers.ContentLength > max)
        {
            return null;
        }

        await using var s = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        // A declared length sizes the buffer (capped: the declaration is the server's word, not yet its bytes).
        using var ms = new MemoryStream((int)Math.Min(content.Headers.ContentLength ?? 4096, 64 * 1024));
        var buf = System.Buffers.ArrayPool<byte>.Shared.Rent(16384);
        try
        {
            int n;
            while ((n = await s.ReadAsync(buf, ct).ConfigureAwait(false)) > 0)
            {
                if (ms.Length + n > max)
                {
                    return null;
                }

                ms.Write(buf, 0, n);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buf);
        }

        return ms.ToArray();
    }
}
