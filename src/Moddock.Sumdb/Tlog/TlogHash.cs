using System.Security.Cryptography;

namespace Moddock.Sumdb.Tlog;

/// <summary>A SHA-256 hash in the transparency log (tlog.Hash).</summary>
internal readonly struct TlogHash : IEquatable<TlogHash>
{
    public const int Size = 32;
    private readonly byte[]? _bytes;

    public TlogHash(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException("a tlog hash has 32 bytes", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    public ReadOnlySpan<byte> Bytes => _bytes ?? new byte[Size];

    public static bool TryParse(string s, out TlogHash hash)
    {
        hash = default;
        if (!Note.NoteKeys.TryBase64(s, out var b) || b.Length != Size)
        {
            return false;
        }

        hash = new TlogHash(b);
        return true;
    }

    /// <summary>RFC 6962 leaf hash: SHA-256(0x00 ‖ record).</summary>
    public static TlogHash Record(ReadOnlySpan<byte> data)
    {
        var buf = new byte[1 + data.Length];
        data.CopyTo(buf.AsSpan(1));
        return new TlogHash(SHA256.HashData(buf));
    }

    /// <summary>RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right).</summary>
    public static TlogHash Node(TlogHash left, TlogHash right)
    {
        Span<byte> buf = stackalloc byte[1 + Size + Size];
        buf[0] = 1;
        left.Bytes.CopyTo(buf[1..]);
        right.Bytes.CopyTo(buf[(1 + Size)..]);
        return new TlogHash(SHA256.HashData(buf));
    }

    public bool Equals(TlogHash other) => Bytes.SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is TlogHash h && Equals(h);

    public override int GetHashCode() => BitConverter.ToInt32(Bytes);

    public static bool operator ==(TlogHash a, TlogHash b) => a.Equals(b);

    public static bool operator !=(TlogHash a, TlogHash b) => !a.Equals(b);

    public override string ToString() => Convert.ToBase64String(Bytes);
}
