using System.IO.Compression;
using Moddock.Modules.Zip;
using Moddock.Testing;

namespace Moddock.Modules.Tests.Zip;

/// <summary>
/// ZipSourceFile.Open delegates that all read from one ZipArchive (as direct mode does with the
/// output of git archive): the writer must open them one at a time, and the zip must hold exactly
/// their bytes, as Go's dirhash and zip.CreateFromDir see them.
/// </summary>
[Collection("ziporacle")]
public sealed class SharedSourceTests(ZipOracleFixture fixture)
{
    private const string ModulePath = "example.com/shared";
    private const string Version = "v1.2.0";

    [Fact]
    public void Create_OpenDelegatesShareOneZipArchive_OpenedSeriallyAndH1MatchesGo()
    {
        var temp = TestEnvironment.NewTempDir("zip-shared");
        var contents = MakeContents();
        var sourceZip = Path.Combine(temp, "source.zip");
        var dir = Path.Combine(temp, "tree");
        using (var archive = ZipFile.Open(sourceZip, ZipArchiveMode.Create))
        {
            foreach (var (path, data) in contents)
            {
                using (var entry = archive.CreateEntry("top/" + path, CompressionLevel.Optimal).Open())
                {
                    entry.Write(data);
                }

                var file = Path.Combine(dir, path.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllBytes(file, data);
            }
        }

        var zipPath = Path.Combine(temp, "out.zip");
        string? h1;
        using (var source = ZipFile.OpenRead(sourceZip))
        using (var output = File.Create(zipPath))
        {
            var guard = new SerialGuard();
            var files = source.Entries
                .Select(e => new ZipSourceFile(e.FullName["top/".Length..], e.Length, () => guard.Open(e)))
                .ToList();
            Assert.Null(ModuleZip.Create(output, ModulePath, Version, files, out h1));
            Assert.Equal(contents.Count + 1, guard.Opens); // the root go.mod is read once more for its go line
        }

        Assert.NotNull(h1);
        Assert.Equal(fixture.Oracle.HashZip(zipPath).H1, h1);
        Assert.Equal(fixture.Oracle.ZipDirectory(ModulePath, Version, dir).H1, h1);
        Assert.Equal(DirHash.Hash1(contents.Select(c => (ModulePath + "@" + Version + "/" + c.Path, (Func<Stream>)(() => new MemoryStream(c.Data))))), h1);
    }

    /// <summary>Enough small files for many parallel batches, incompressible and repetitive ones, empty ones, and two streamed large ones.</summary>
    private static List<(string Path, byte[] Data)> MakeContents()
    {
        var random = new Random(20261121);
        var contents = new List<(string Path, byte[] Data)> { ("go.mod", "module example.com/shared\n\ngo 1.19\n"u8.ToArray()) };
        for (var i = 0; i < 600; i++)
        {
            var data = new byte[i % 50 == 0 ? 0 : random.Next(1, 96 * 1024)];
            if (i % 3 == 0)
            {
                random.NextBytes(data);
            }
            else
            {
                for (var j = 0; j < data.Length; j++)
                {
                    data[j] = (byte)('a' + ((i + (j / 7)) % 26));
                }
            }

            contents.Add(($"pkg{i % 17}/file{i}.go", data));
        }

        foreach (var size in new[] { (1 << 20) + 1, 3 << 20 })
        {
            var big = new byte[size];
            random.NextBytes(big);
            contents.Add(($"large/blob{size}.bin", big));
        }

        return contents;
    }

    /// <summary>Throws if a file is opened or read while another file's stream is still open.</summary>
    private sealed class SerialGuard
    {
        private int _open;

        public int Opens { get; private set; }

        public Stream Open(ZipArchiveEntry entry)
        {
            if (Interlocked.Increment(ref _open) != 1)
            {
                throw new InvalidOperationException($"{entry.FullName} opened while another entry of the archive is open");
            }

            Opens++;
            return new GuardedStream(entry.Open(), this);
        }

        private void Close() => Interlocked.Decrement(ref _open);

        private sealed class GuardedStream(Stream inner, SerialGuard guard) : Stream
        {
            private int _reading;
            private bool _closed;

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override void Flush()
            {
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (Interlocked.Increment(ref _reading) != 1 || Volatile.Read(ref guard._open) != 1)
                {
                    throw new InvalidOperationException("read concurrently with another read or entry");
                }

                try
                {
                    return inner.Read(buffer, offset, count);
                }
                finally
                {
                    Interlocked.Decrement(ref _reading);
                }
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing && !_closed)
                {
                    _closed = true;
                    inner.Dispose();
                    guard.Close();
                }

                base.Dispose(disposing);
            }
        }
    }
}
