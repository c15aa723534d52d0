using Moddock.Modules.Zip;

namespace Moddock.Modules.Tests.Zip;

/// <summary>
/// The size limits (500 MiB tree, 16 MiB go.mod and LICENSE), ported from zip_test.go's
/// sizeLimitTests / TestCreateSizeLimits, which Go keeps in code rather than in testdata.
/// </summary>
public sealed class SizeLimitTests
{
    private const long MaxZipFile = 500L << 20;
    private const long MaxGoMod = 16L << 20;

    public static TheoryData<string, (string Name, long Size)[], string?, string?> Cases => new()
    {
        { "one_large", [("large.go", MaxZipFile)], null, null },
        { "one_too_large", [("large.go", MaxZipFile + 1)], "module source tree too large", "module source tree too large" },
        { "total_large", [("small.go", 10), ("large.go", MaxZipFile - 10)], null, null },
        { "total_too_large", [("small.go", 10), ("large.go", MaxZipFile - 9)], "module source tree too large", "module source tree too large" },
        { "large_gomod", [("go.mod", MaxGoMod)], null, null },
        { "too_large_gomod", [("go.mod", MaxGoMod + 1)], "go.mod file too large", "go.mod file too large" },
        { "large_license", [("LICENSE", MaxGoMod)], null, null },
        { "too_large_license", [("LICENSE", MaxGoMod + 1)], "LICENSE file too large", "LICENSE file too large" },

        // A negative size is what a uint64 size cast to int64 gives.
        { "negative", [("neg.go", long.MinValue)], "module source tree too large", "module source tree too large" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void CheckFiles_SizeLimitCase_MatchesGo(string desc, (string Name, long Size)[] files, string? wantCheckErr, string? wantCreateErr)
    {
        _ = wantCreateErr;
        var report = ModuleZip.CheckFiles(Zeros(files));

        AssertError(desc, wantCheckErr, report.Error);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Create_SizeLimitCase_RefusedBeforeWritingOrWritten(string desc, (string Name, long Size)[] files, string? wantCheckErr, string? wantCreateErr)
    {
        _ = wantCheckErr;
        if (wantCreateErr is null && files.Sum(f => f.Size) > MaxGoMod)
        {
            // Writing 500 MiB is left to Create_LargeFile_StreamsInBoundedMemory (32 MiB).
            return;
        }

        using var output = new MemoryStream();
        var error = ModuleZip.Create(output, "example.com/large", "v1.0.0", Zeros(files));

        AssertError(desc, wantCreateErr, error);
        if (error is not null)
        {
            Assert.Equal(0, output.Length);
            Assert.Equal(desc.Contains("too_large", StringComparison.Ordinal) || desc == "negative" ? ModuleErrorKind.ZipTooLarge : ModuleErrorKind.ZipInvalid, error.Kind);
        }
    }

    [Fact]
    public void Create_SizeIsALie_RefusesFileLargerThanDeclared()
    {
        var lie = new ZipSourceFile("lie.go", 1, () => new MemoryStream("package large"u8.ToArray()));

        var error = ModuleZip.Create(Stream.Null, "example.com/large", "v1.0.0", [lie]);

        Assert.NotNull(error);
        Assert.Contains("file \"lie.go\" is larger than declared size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_LargeFile_StreamsInBoundedMemory()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = ModuleZip.Create(Stream.Null, "example.com/large", "v1.0.0", Zeros([("large.go", 32L << 20)]), out var h1);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Null(error);
        Assert.StartsWith("h1:", h1, StringComparison.Ordinal);
        Assert.True(allocated < 4L << 20, $"Create allocated {allocated} bytes for a 32 MiB file");
    }

    [Fact]
    public void CheckZip_GoModOverLimit_ReportsGoModTooLarge()
    {
        var dir = Moddock.Testing.TestEnvironment.NewTempDir("zip-limits");
        var zipPath = Path.Combine(dir, "big.zip");
        using (var output = File.Create(zipPath))
        using (var archive = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create))
        {
            using var entry = archive.CreateEntry("example.com/large@v1.0.0/go.mod").Open();
            entry.Write(new byte[MaxGoMod + 1]);
        }

        var error = ModuleZip.CheckZip(zipPath, "example.com/large", "v1.0.0", out var report);

        Assert.NotNull(error);
        Assert.Equal(ModuleErrorKind.ZipTooLarge, error.Kind);
        Assert.Equal("example.com/large@v1.0.0/go.mod: go.mod file too large (max size is 16777216 bytes)", error.Message);
        Assert.Empty(report.Valid);
    }

    private static IReadOnlyList<ZipSourceFile> Zeros((string Name, long Size)[] files) =>
        files.Select(f => new ZipSourceFile(f.Name, f.Size, () => new ZeroStream(Math.Max(f.Size, 0)))).ToList();

    private static void AssertError(string desc, string? want, ModuleError? error)
    {
        if (want is null)
        {
            Assert.True(error is null, $"{desc}: unexpected error {error?.Message}");
            return;
        }

        Assert.True(error is not null, $"{desc}: unexpected success; want error containing {want}");
        Assert.Contains(want, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Reads as a run of zero bytes without holding them (zip_test.go's zeroReader).</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
