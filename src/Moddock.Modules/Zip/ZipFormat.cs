using System.Buffers.Binary;
using System.Text;

namespace Moddock.Modules.Zip;

/// <summary>One entry as recorded in the central directory.</summary>
internal sealed record ZipEntryRecord(byte[] Name, ushort Flags, ushort Method, uint Crc, long CompressedSize, long Size, long Offset);

/// <summary>
/// The PKZIP records a module zip needs (APPNOTE 4.3): local headers, data descriptors, the central
/// directory and its end record, with the zip64 end record when there are 65535 entries or more.
/// Times are the DOS epoch (1980-01-01 00:00), attributes are zero, as for archive/zip's Create.
/// </summary>
internal static class ZipFormat
{
    public const ushort MethodStore = 0;
    public const ushort MethodDeflate = 8;
    public const ushort FlagDataDescriptor = 0x0008;
    public const ushort FlagUtf8 = 0x0800;

    private const ushort Version20 = 20;
    private const ushort Version45 = 45;
    private const ushort DosDate1980 = (0 << 9) | (1 << 5) | 1;

    public static ushort NameFlags(string name) => name.Any(c => c >= 0x80) ? FlagUtf8 : (ushort)0;

    public static byte[] EncodeName(string name) => Encoding.UTF8.GetBytes(name);

    public static int WriteLocalHeader(Stream output, ZipEntryRecord e)
    {
        Span<byte> h = stackalloc byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], Version20);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], e.Flags);
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], e.Method);
        BinaryPrimitives.WriteUInt16LittleEndian(h[10..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(h[12..], DosDate1980);
        var deferred = (e.Flags & FlagDataDescriptor) != 0;
        BinaryPrimitives.WriteUInt32LittleEndian(h[14..], deferred ? 0 : e.Crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h[18..], deferred ? 0 : checked((uint)e.CompressedSize));
        BinaryPrimitives.WriteUInt32LittleEndian(h[22..], deferred ? 0 : checked((uint)e.Size));
        BinaryPrimitives.WriteUInt16LittleEndian(h[26..], checked((ushort)e.Name.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(h[28..], 0);
        output.Write(h);
        output.Write(e.Name);
        return h.Length + e.Name.Length;
    }

    public static int WriteDataDescriptor(Stream output, uint crc, long compressedSize, long size)
    {
        Span<byte> d = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(d, 0x08074b50);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], checked((uint)compressedSize));
        BinaryPrimitives.WriteUInt32LittleEndian(d[12..], checked((uint)size));
        output.Write(d);
        return d.Length;
    }

    public static void WriteCentralDirectory(Stream output, IReadOnlyList<ZipEntryRecord> entries, long offset)
    {
        long size = 0;
        Span<byte> h = stackalloc byte[46];
        foreach (var e in entries)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(h, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(h[4..], Version20);
            BinaryPrimitives.WriteUInt16LittleEndian(h[6..], Version20);
            BinaryPrimitives.WriteUInt16LittleEndian(h[8..], e.Flags);
            BinaryPrimitives.WriteUInt16LittleEndian(h[10..], e.Method);
            BinaryPrimitives.WriteUInt16LittleEndian(h[12..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(h[14..], DosDate1980);
            BinaryPrimitives.WriteUInt32LittleEndian(h[16..], e.Crc);
            BinaryPrimitives.WriteUInt32LittleEndian(h[20..], checked((uint)e.CompressedSize));
            BinaryPrimitives.WriteUInt32LittleEndian(h[24..], checked((uint)e.Size));
            BinaryPrimitives.WriteUInt16LittleEndian(h[28..], checked((ushort)e.Name.Length));
            h[30..42].Clear(); // extra, comment, disk, internal and external attributes
            BinaryPrimitives.WriteUInt32LittleEndian(h[42..], checked((uint)e.Offset));
            output.Write(h);
            output.Write(e.Name);
            size += h.Length + e.Name.Length;
        }

        var zip64 = entries.Count >= 0xFFFF;
        if (zip64)
        {
            Span<byte> z = stackalloc byte[56 + 20];
            BinaryPrimitives.WriteUInt32LittleEndian(z, 0x06064b50);
            BinaryPrimitives.WriteUInt64LittleEndian(z[4..], 44);
            BinaryPrimitives.WriteUInt16LittleEndian(z[12..], Version45);
            BinaryPrimitives.WriteUInt16LittleEndian(z[14..], Version45);
            BinaryPrimitives.WriteUInt32LittleEndian(z[16..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(z[20..], 0);
            BinaryPrimitives.WriteUInt64LittleEndian(z[24..], (ulong)entries.Count);
            BinaryPrimitives.WriteUInt64LittleEndian(z[32..], (ulong)entries.Count);
            BinaryPrimitives.WriteUInt64LittleEndian(z[40..], (ulong)size);
            BinaryPrimitives.WriteUInt64LittleEndian(z[48..], (ulong)offset);
            BinaryPrimitives.WriteUInt32LittleEndian(z[56..], 0x07064b50);
            BinaryPrimitives.WriteUInt32LittleEndian(z[60..], 0);
            BinaryPrimitives.WriteUInt64LittleEndian(z[64..], (ulong)(offset + size));
            BinaryPrimitives.WriteUInt32LittleEndian(z[72..], 1);
            output.Write(z);
        }

        Span<byte> end = stackalloc byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt32LittleEndian(end[4..], 0);
        var count = zip64 ? (ushort)0xFFFF : (ushort)entries.Count;
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], checked((uint)size));
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], checked((uint)offset));
        BinaryPrimitives.WriteUInt16LittleEndian(end[20..], 0);
        output.Write(end);
    }
}
