using System.Text;
using Microsoft.Extensions.Primitives;

namespace Moddock.Server.Caching;

/// <summary>
/// One immutable artifact the store already holds, ready to answer: either its bytes in memory
/// (.info, .mod) or an open handle on its stored file (zips, sent with sendfile(2) by the hot path).
/// Response headers are built once, so a hit allocates nothing for them: the same StringValues
/// go to Kestrel each time, and the hot path copies the prebuilt head bytes.
/// <para>
/// A file-backed entry is leased: a sender takes a lease before it uses the handle and returns it
/// after, and eviction only drops the cache's own lease, so the handle is closed when the last
/// sender is done, never under a sendfile in progress (which would cut the body, or, if the
/// descriptor number were reused, send another file's bytes).
/// </para>
/// </summary>
internal sealed class CachedArtifact : IDisposable
{
    private readonly FileStream? _file;
    private int _referenced;
    private int _leases = 1; // the cache's own lease; 0 means the handle is closed
    private int _retired;
    private Action? _onFirstRequest;

    /// <summary>An artifact held in memory.</summary>
    public CachedArtifact(byte[] body, string contentType, DateTimeOffset? lastModified, string module, string version, string kind)
        : this(body, null, (body ?? throw new ArgumentNullException(nameof(body))).Length, contentType, lastModified, module, version, kind)
    {
    }

    private CachedArtifact(byte[]? body, FileStream? file, long length, string contentType, DateTimeOffset? lastModified, string module, string version, string kind)
    {
        Body = body;
        _file = file;
        Length = length;
        ContentType = new StringValues(contentType);
        LastModified = lastModified is { } m ? new StringValues(m.ToString("R")) : StringValues.Empty;
        Module = module;
        Version = version;
        Kind = kind;
        HotHead = BuildHotHead(length, contentType, LastModified);
    }

    /// <summary>
    /// An artifact served from its stored file. The handle is opened for asynchronous use because
    /// Socket.SendPacketsAsync only takes such a FileStream; sends use explicit offsets, so one handle
    /// serves any number of concurrent responses.
    /// </summary>
    public static CachedArtifact OpenFile(string path, long expectedLength, string contentType, DateTimeOffset? lastModified, string module, string version, string kind)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
        try
        {
            var length = RandomAccess.GetLength(file.SafeFileHandle);
            if (length != expectedLength)
            {
                throw new IOException($"{path} holds {length} bytes, the store reported {expectedLength}");
            }

            return new CachedArtifact(null, file, length, contentType, lastModified, module, version, kind);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The artifact's bytes, exactly as committed to the store; null for a file-backed entry.</summary>
    public byte[]? Body { get; }

    /// <summary>The stored file; null for an in-memory entry. Use only under a lease.</summary>
    public FileStream? File => _file;

    public long Length { get; }

    /// <summary>Bytes of memory the entry holds: its body, or nothing for a file-backed entry.</summary>
    public long MemoryBytes => Body?.Length ?? 0;

    public StringValues ContentType { get; }

    /// <summary>Empty when the store gave no modification time.</summary>
    public StringValues LastModified { get; }

    /// <summary>Module path, version and kind for the request log line, so a hit needs no parsing.</summary>
    public string Module { get; }

    public string Version { get; }

    public string Kind { get; }

    /// <summary>
    /// "HTTP/1.1 200 OK" and every header of a hit except Date and Connection, which the hot path
    /// appends per response (the same headers Kestrel writes for the endpoint's hit).
    /// </summary>
    public byte[] HotHead { get; }

    /// <summary>
    /// Whether the entry can still answer whole: true for bytes in memory; for a stored file, whether it still
    /// holds <see cref="Length"/> bytes (one fstat). The store never changes a committed file, but someone with
    /// access to the storage can truncate it in place, and the open handle would then send a cut body under a
    /// Content-Length that promises all of it. Call under a lease.
    /// </summary>
    public bool IsWhole()
    {
        if (_file is null)
        {
            return true;
        }

        try
        {
            return RandomAccess.GetLength(_file.SafeFileHandle) == Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Marks the entry as used since the clock hand last passed (its second chance).</summary>
    public void Touch()
    {
        if (Volatile.Read(ref _referenced) == 0)
        {
            Volatile.Write(ref _referenced, 1);
        }

        // One read of a field on every hit; the action runs once, on the first request for the entry.
        if (Volatile.Read(ref _onFirstRequest) is not null && Interlocked.Exchange(ref _onFirstRequest, null) is { } first)
        {
            first();
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the thread of the first request this entry answers (a lookup through
    /// <see cref="MemoryArtifactCache.TryGet"/>), once: how the read-ahead learns that a client asked for an .info
    /// the memory cache holds (StoredArtifactAdmission). Must be cheap and must not throw.
    /// </summary>
    public void OnFirstRequest(Action action) => Volatile.Write(ref _onFirstRequest, action);

    /// <summary>Clears the mark; true when it was set, i.e. the entry earns another round.</summary>
    public bool TakeSecondChance() => Interlocked.Exchange(ref _referenced, 0) == 1;

    /// <summary>Takes a lease on the handle; false once the entry was evicted and its last lease returned.</summary>
    public bool TryAcquire()
    {
        if (_file is null)
        {
            return true;
        }

        var leases = Volatile.Read(ref _leases);
        while (leases > 0)
        {
            var seen = Interlocked.CompareExchange(ref _leases, leases + 1, leases);
            if (seen == leases)
            {
                return true;
            }

            leases = seen;
        }

        return false;
    }

    /// <summary>Returns a lease taken with <see cref="TryAcquire"/>.</summary>
    public void Release()
    {
        if (_file is not null && Interlocked.Decrement(ref _leases) == 0)
        {
            _file.Dispose();
        }
    }

    /// <summary>Drops the cache's own lease (on eviction); the handle closes when no sender holds one.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _retired, 1) == 0)
        {
            Release();
        }
    }

    private static byte[] BuildHotHead(long length, string contentType, StringValues lastModified)
    {
        var head = new StringBuilder(160)
            .Append("HTTP/1.1 200 OK\r\nContent-Length: ").Append(length.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Append("\r\nContent-Type: ").Append(contentType);
        if (lastModified.Count > 0)
        {
            head.Append("\r\nLast-Modified: ").Append(lastModified.ToString());
        }

        head.Append("\r\nX-Moddock-Cache: hit\r\n");
        return Encoding.ASCII.GetBytes(head.ToString());
    }
}
