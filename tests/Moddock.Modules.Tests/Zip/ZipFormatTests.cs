using Moddock.Modules.Zip;
using Moddock.Testing;

namespace Moddock.Modules.Tests.Zip;

/// <summary>Zips from ModuleZip's own writer read back by Go's archive/zip + dirhash (the oracle) in the corner cases of the format.</summary>
[Collection("ziporacle")]
public sealed class ZipFormatTests(ZipOracleFixture fixture)
{
    [Fact]
    public void Create_MoreThan65535Entries_Zip64EndRecordReadByGo()
    {
        var files = Enumerable.Range(0, 65_540).Select(i => ZipSourceFile.FromBytes($"d{i / 1000}/f{i}.txt", i % 1000 == 0 ? [(byte)i] : [])).ToList();
        var zipPath = Path.Combine(TestEnvironment.NewTempDir("zip64"), "many.zip");
        string? h1;
        using (var output = File.Create(zipPath))
        {
            Assert.Null(ModuleZip.Create(output, "example.com/many", "v1.0.0", files, out h1));
        }

        Assert.Equal(fixture.Oracle.HashZip(zipPath).H1, h1);
        Assert.Null(ModuleZip.CheckZip(zipPath, "example.com/many", "v1.0.0", out var report));
        Assert.Equal(65_540, report.Valid.Count);
    }

    [Fact]
    public void Create_StreamedFilesShorterThanDeclaredAndEmpty_ReadByGo()
    {
        // Files declared above the buffering limit go through the streaming path with a data descriptor.
        var big = new byte[3 << 20];
        new Random(7).NextBytes(big.AsSpan(0, 1 << 20));
        var files = new[]
        {
            new ZipSourceFile("big.bin", big.Length, () => new MemoryStream(big)),
            new ZipSourceFile("shrunk.bin", 5 << 20, () => new MemoryStream(big, 0, 1000)),
            new ZipSourceFile("emptied.bin", 5 << 20, () => new MemoryStream()),
            ZipSourceFile.FromBytes("small.go", "package m\n"u8.ToArray()),
            ZipSourceFile.FromBytes("ünïcode.go", "package m\n"u8.ToArray()),
            ZipSourceFile.FromBytes("empty.go", []),
        };
        var zipPath = Path.Combine(TestEnvironment.NewTempDir("zip-stream"), "s.zip");
        string? h1;
        using (var output = new NonSeekableStream(File.Create(zipPath)))
        {
            Assert.Null(ModuleZip.Create(output, "example.com/s", "v1.0.0", files, out h1));
        }

        Assert.Equal(fixture.Oracle.HashZip(zipPath).H1, h1);
        Assert.Equal(h1, DirHash.HashZip(zipPath));
    }

    private sealed class NonSeekableStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
