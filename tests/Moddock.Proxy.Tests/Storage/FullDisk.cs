namespace Moddock.Proxy.Tests.Storage;

/// <summary>
/// Stands for a file system with <see cref="Free"/> bytes left, without root or a real small mount: the disk
/// store's temp files are created through <see cref="Create"/> (DiskModuleStoreOptions.CreateTempFile), and a
/// write beyond the free space fails with ENOSPC's message. Like a real FileStream that still holds the bytes it
/// could not write, a failed stream fails again when flushed or closed.
/// </summary>
internal sealed class FullDisk
{
    private long _free;

    public FullDisk(long free) => _free = free;

    /// <summary>Bytes that can still be written; set it to give space back.</summary>
    public long Free
    {
        get => Interlocked.Read(ref _free);
        set => Interlocked.Exchange(ref _free, value);
    }

    public FileStream Create(string path) => new Limited(this, path);

    private bool TryTake(int bytes)
    {
        while (true)
        {
            var free = Free;
            if (bytes > free)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _free, free - bytes, free) == free)
            {
                return true;
            }
        }
    }

    /// <remarks>
    /// Only the span/memory writes are counted: for a type derived from FileStream, the base class turns them into
    /// the array overloads, which must therefore not be overridden (that would recurse, or count twice).
    /// </remarks>
    private sealed class Limited(FullDisk disk, string path)
        : FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 4096, FileOptions.Asynchronous)
    {
        private bool _failed;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Take(buffer.Length);
            base.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Take(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush(bool flushToDisk)
        {
            ThrowIfFailed();
            base.Flush(flushToDisk);
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            ThrowIfFailed();
            return base.FlushAsync(cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing && _failed)
            {
                _failed = false;
                throw NoSpace();
            }
        }

        private void Take(int bytes)
        {
            if (!disk.TryTake(bytes))
            {
                _failed = true;
                throw NoSpace();
            }
        }

        private void ThrowIfFailed()
        {
            if (_failed)
            {
                throw NoSpace();
            }
        }

        private IOException NoSpace() => new($"No space left on device : '{Name}'");
    }
}
