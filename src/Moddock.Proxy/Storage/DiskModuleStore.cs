using Moddock.Modules;
using Moddock.Modules.Zip;

namespace Moddock.Proxy.Storage;

/// <summary>
/// The embedded default store: plain files under a root laid out like the GOPROXY URL space.
/// Every write goes through <see cref="DurableFile"/> (temp + fsync + rename + directory fsync); an immutable
/// artifact carries a digest of its bytes in an extended attribute (<see cref="ContentDigest"/>).
/// A file's modification time is set from the injected clock, so list/@latest freshness follows it.
/// </summary>
internal sealed class DiskModuleStore : IModuleStore
{
    private readonly DiskLayout _layout;
    private readonly TimeProvider _time;
    private readonly Func<string, FileStream> _createTemp;
    private readonly Func<string, long> _availableSpace;
    private readonly TimeSpan _abandonedTempAge;
    private ITimer? _laterSweep;

    private DiskModuleStore(DiskLayout layout, TimeProvider time, DiskModuleStoreOptions options)
    {
        _layout = layout;
        _time = time;
        _createTemp = options.CreateTempFile;
        _availableSpace = options.AvailableSpace;
        _abandonedTempAge = options.AbandonedTempAge;
    }

    public string Root => _layout.Root;

    /// <summary>
    /// Opens (creating if needed) the store and deletes temp files a crashed process left behind: those not
    /// written for <see cref="DiskModuleStoreOptions.AbandonedTempAge"/>, so another live process's downloads survive.
    /// The temps of the crash that this start follows (a service restarted on failure) are still young now, so the
    /// sweep runs once more when they have aged; otherwise they would stay until some later restart, maybe months.
    /// </summary>
    public static DiskModuleStore Open(DiskModuleStoreOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Root))
        {
            throw new ArgumentException("storage root is required", nameof(options));
        }

        var layout = new DiskLayout(options.Root);
        Directory.CreateDirectory(layout.Root);
        AbandonedTemps.Remove(layout.Root, time.GetUtcNow().UtcDateTime - options.AbandonedTempAge);
        var store = new DiskModuleStore(layout, time, options);
        store._laterSweep = time.CreateTimer(
            static s => ((DiskModuleStore)s!).SweepAgain(),
            store,
            options.AbandonedTempAge + TimeSpan.FromMinutes(1),
            Timeout.InfiniteTimeSpan);
        return store;
    }

    private void SweepAgain()
    {
        try
        {
            AbandonedTemps.Remove(_layout.Root, _time.GetUtcNow().UtcDateTime - _abandonedTempAge);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The root went away or became unreadable: nothing to sweep now, and the next start sweeps again.
        }
        finally
        {
            _laterSweep?.Dispose();
        }
    }

    public ValueTask<StoredArtifact?> TryGetAsync(StoreKey key, CancellationToken ct)
    {
        if (!TryFileFor(key, out var path))
        {
            return ValueTask.FromResult<StoredArtifact?>(null); // never stored: its name does not fit the file system
        }

        if (_layout.FirstLinkBelowRoot(path) is { } link)
        {
            // Never followed. A link in an artifact's own place is not ours (the store only renames regular files
            // there): removing it (not its target) lets the artifact be fetched and stored properly. A linked
            // directory is left to the operator, and writes through it are refused.
            if (link == path)
            {
                DurableFile.DeleteQuietly(path);
            }

            return ValueTask.FromResult<StoredArtifact?>(null);
        }

        var kind = FileKind.OfPath(path);
        if (kind is null or FileKindValue.Directory)
        {
            return ValueTask.FromResult<StoredArtifact?>(null);
        }

        if (kind != FileKindValue.Regular)
        {
            // A pipe, socket or device: not ours either, and opening a pipe to read it blocks until a writer comes,
            // which would hang the request (and a thread) for good. Removed like a link, so the artifact is stored again.
            DurableFile.DeleteQuietly(path);
            return ValueTask.FromResult<StoredArtifact?>(null);
        }

        return ValueTask.FromResult<StoredArtifact?>(Describe(key, new FileInfo(path)));
    }

    /// <summary>
    /// Writes a small artifact whole, as one work item on the durable-I/O threads (directory, temp file, write,
    /// fsync, rename, directory fsync). The resolver calls this right after answering a miss: done on the request
    /// thread, the directory and file creation ran ahead of that answer's continuation, which waits in the same
    /// thread's queue, and the asynchronous FileStream writes each cost another thread-pool hop.
    /// </summary>
    public async ValueTask<StoredArtifact> SaveAsync(StoreKey key, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var final = FileForWriting(key);
        var savedAt = _time.GetUtcNow().UtcDateTime;
        StoredArtifact? stored = null;
        try
        {
            await BlockingIo.RunAsync(() => stored = SaveNow(key, final, content, savedAt)).ConfigureAwait(false);
        }
        catch (Exception e) when (StorageFailureException.IsStorageError(e))
        {
            throw Failure(key, e);
        }

        return stored!;
    }

    public ValueTask<IStagedArtifact> StageAsync(StoreKey key, CancellationToken ct)
    {
        var final = FileForWriting(key);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            return ValueTask.FromResult<IStagedArtifact>(new StagedFile(this, key, final));
        }
        catch (Exception e) when (StorageFailureException.IsStorageError(e))
        {
            throw Failure(key, e);
        }
    }

    /// <summary>Where <paramref name="key"/> is written; never through a linked directory (it could land outside the root).</summary>
    private string FileForWriting(StoreKey key)
    {
        if (DiskLayout.NameTooLong(key) is { } tooLong)
        {
            throw new StorageFailureException($"cannot store {key}: {tooLong}");
        }

        var final = _layout.FileFor(key);
        if (_layout.FirstLinkBelowRoot(Path.GetDirectoryName(final)!) is { } link)
        {
            throw new StorageFailureException($"cannot store {key}: {link} in the storage is a symbolic link, and the storage never writes through one");
        }

        return final;
    }

    private bool TryFileFor(StoreKey key, out string path)
    {
        if (DiskLayout.NameTooLong(key) is not null)
        {
            path = "";
            return false;
        }

        path = _layout.FileFor(key);
        return true;
    }

    /// <summary>Why a write failed, for the client and the log: the artifact and the file system's own words.</summary>
    private static StorageFailureException Failure(StoreKey key, Exception e) =>
        e as StorageFailureException ?? new StorageFailureException($"cannot store {key} in the storage: {e.Message}", e);

    public ValueTask DiscardAsync(StoreKey key, CancellationToken ct)
    {
        if (TryFileFor(key, out var path) && _layout.FirstLinkBelowRoot(Path.GetDirectoryName(path)!) is null)
        {
            DurableFile.DeleteQuietly(path);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<ModuleVersion>> ListVersionsAsync(ModulePath path, CancellationToken ct)
    {
        var dir = _layout.VersionDirectory(path);
        var versions = new HashSet<ModuleVersion>();
        if (Directory.Exists(dir) && _layout.FirstLinkBelowRoot(dir) is null)
        {
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                var name = Path.GetFileName(file);
                if (name.StartsWith('.'))
                {
                    continue;
                }

                var ext = Path.GetExtension(name);
                if (ext is ".info" or ".mod" && ModuleVersion.TryUnescape(name[..^ext.Length], out var v, out _))
                {
                    versions.Add(v);
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<ModuleVersion>>([.. versions]);
    }

    public async ValueTask<string?> CheckWritableAsync(CancellationToken ct)
    {
        var probe = Path.Combine(_layout.Root, DiskLayout.TempPrefix + "probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            await File.WriteAllBytesAsync(probe, [1], ct).ConfigureAwait(false);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"storage root {_layout.Root} is not writable: {e.Message}";
        }
    }

    /// <summary>The same protocol as <see cref="StagedFile.CommitAsync"/>, synchronously, for bytes already in memory.</summary>
    private StoredArtifact SaveNow(StoreKey key, string final, ReadOnlyMemory<byte> content, DateTime savedAt)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        var temp = DiskLayout.TempFor(final);
        try
        {
            using (var stream = _createTemp(temp))
            {
                stream.Write(content.Span);
                if (key.IsImmutable)
                {
                    ContentDigest.TryWrite(stream.SafeFileHandle, ContentDigest.Of(content.Span));
                }

                stream.Flush(flushToDisk: true);
            }

            return Publish(key, temp, final, savedAt);
        }
        catch
        {
            DurableFile.DeleteQuietly(temp);
            throw;
        }
    }

    /// <summary>
    /// Puts a written and fsynced temp file in place (rename, directory fsync). An immutable key that another
    /// process stored first keeps that copy and the temp file goes. Callers that answered from the temp bytes
    /// must know when the stored file is not those bytes; the same bytes (the usual case: both fetched one
    /// upstream file, or built the same zip from git) are as good as our own.
    /// </summary>
    private static StoredArtifact Publish(StoreKey key, string temp, string final, DateTime savedAt)
    {
        File.SetLastWriteTimeUtc(temp, savedAt);
        var published = DurableFile.Publish(temp, final, replace: !key.IsImmutable, keepTempWhenLost: true);
        var identical = false;
        if (!published)
        {
            try
            {
                identical = SameBytes(temp, final);
            }
            catch (IOException)
            {
                // Unreadable now: report the kept copy as another one, the safe answer.
            }

            File.Delete(temp);
        }

        return Describe(key, new FileInfo(final)) with { AlreadyStored = !published && !identical };
    }

    private static bool SameBytes(string a, string b)
    {
        using var x = new FileStream(a, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        using var y = new FileStream(b, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan);
        if (x.Length != y.Length)
        {
            return false;
        }

        var bx = new byte[64 * 1024];
        var by = new byte[64 * 1024];
        while (true)
        {
            var n = x.ReadAtLeast(bx, bx.Length, throwOnEndOfStream: false);
            if (n == 0)
            {
                return true;
            }

            y.ReadExactly(by, 0, n);
            if (!bx.AsSpan(0, n).SequenceEqual(by.AsSpan(0, n)))
            {
                return false;
            }
        }
    }

    private static StoredArtifact Describe(StoreKey key, FileInfo file)
    {
        var path = file.FullName;
        return new StoredArtifact(
            key,
            path,
            file.Length,
            new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero),
            _ => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan));
    }

    /// <summary>A temp file next to its final name; readers may tail it (FileShare.Read) while it is written.</summary>
    private sealed class StagedFile : IStagedArtifact
    {
        private readonly DiskModuleStore _store;
        private readonly string _final;
        private readonly FileStream _stream;
        private bool _done;

        public StagedFile(DiskModuleStore store, StoreKey key, string final)
        {
            _store = store;
            _final = final;
            Key = key;
            LocalPath = DiskLayout.TempFor(final);
            _stream = store._createTemp(LocalPath);
        }

        public StoreKey Key { get; }

        public string LocalPath { get; }

        public Stream Content => _stream;

        public long AvailableSpace => _store._availableSpace(Path.GetDirectoryName(LocalPath)!);

        public async ValueTask<StoredArtifact> CommitAsync(CancellationToken ct)
        {
            ObjectDisposedException.ThrowIf(_done, this);
            var savedAt = _store._time.GetUtcNow().UtcDateTime;
            StoredArtifact? stored = null;
            try
            {
                await _stream.FlushAsync(ct).ConfigureAwait(false);
                await BlockingIo.RunAsync(() =>
                {
                    // The digest is of the bytes as they are on disk now, read back (the page cache holds them: the
                    // checks before commit read them too), and it is fsynced with them (see ContentDigest).
                    if (Key.IsImmutable)
                    {
                        ContentDigest.TryWrite(_stream.SafeFileHandle, ContentDigest.Of(_stream.SafeFileHandle));
                    }

                    _stream.Flush(flushToDisk: true);
                    _stream.Dispose();
                    stored = Publish(Key, LocalPath, _final, savedAt);
                }).ConfigureAwait(false);
            }
            catch (Exception e) when (StorageFailureException.IsStorageError(e))
            {
                // Not done: disposing this deletes the temp file.
                throw Failure(Key, e);
            }

            _done = true;
            return stored!;
        }

        public async ValueTask DisposeAsync()
        {
            if (_done)
            {
                return;
            }

            _done = true;
            try
            {
                // Closing flushes what is still buffered; on a full disk that throws again. The bytes are being
                // discarded anyway, and the temp file must go whatever the close says.
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (StorageFailureException.IsStorageError(e))
            {
            }
            finally
            {
                DurableFile.DeleteQuietly(LocalPath);
            }
        }
    }
}
