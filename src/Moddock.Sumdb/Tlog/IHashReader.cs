namespace Moddock.Sumdb.Tlog;

/// <summary>tlog.HashReader: returns the stored hashes at the given stored-hash indexes, in order.</summary>
internal interface IHashReader
{
    ValueTask<IReadOnlyList<TlogHash>> ReadHashesAsync(IReadOnlyList<long> indexes, CancellationToken ct);
}
