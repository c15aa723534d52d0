namespace Moddock.Proxy.Storage;

/// <summary>
/// The store could not take a write (disk full, read-only file system, a directory or link in a file's place).
/// Deliberately not an <see cref="IOException"/>: a zip is written while it downloads, and the sources treat an
/// <see cref="IOException"/> as the upstream's connection failing, which would blame (and retry, and trip the
/// circuit breaker of) a healthy upstream for our own disk. The resolver answers it as a failure with this message
/// as the reason.
/// </summary>
internal sealed class StorageFailureException : Exception
{
    public StorageFailureException()
    {
    }

    public StorageFailureException(string message)
        : base(message)
    {
    }

    public StorageFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Whether <paramref name="e"/> is a file-system failure to be reported as a storage failure.</summary>
    public static bool IsStorageError(Exception e) => e is IOException or UnauthorizedAccessException;
}
