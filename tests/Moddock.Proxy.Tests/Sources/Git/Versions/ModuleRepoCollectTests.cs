using System.Formats.Tar;
using System.Text;
using Moddock.Proxy.Sources.Git;
using Moddock.Proxy.Sources.Git.Versions;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git.Versions;

/// <summary>Reading git archive's tar: a malformed archive is an Invalid failure, never an unhandled exception.</summary>
public sealed class ModuleRepoCollectTests
{
    private static byte[] ValidTar()
    {
        using var ms = new MemoryStream();
        using (var writer = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "prefix/go.mod")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes("module example.test/x\n")),
            };
            writer.WriteEntry(entry);
        }

        return ms.ToArray();
    }

    /// <summary>The tar header checksum (POSIX ustar): the byte sum with the checksum field read as spaces.</summary>
    private static void FixChecksum(byte[] tar, int header)
    {
        var block = tar.AsSpan(header, 512);
        block.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in block)
        {
            sum += b;
        }

        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(block[148..]);
    }

    /// <summary>The offset of the header block of the entry named name (after any pax headers).</summary>
    private static int HeaderOf(byte[] tar, string name)
    {
        var needle = Encoding.ASCII.GetBytes(name + "\0");
        for (var at = 0; at + 512 <= tar.Length; at += 512)
        {
            if (tar.AsSpan(at, needle.Length).SequenceEqual(needle))
            {
                return at;
            }
        }

        throw new InvalidOperationException("entry not found");
    }

    public static TheoryData<string> Corruptions => ["garbage", "size-field", "negative-size"];

    [Fact]
    public void Collect_ValidTar_ListsTheFile()
    {
        var spool = Path.Combine(TestEnvironment.NewTempDir("collect-ok"), "a.tar");
        File.WriteAllBytes(spool, ValidTar());

        var files = ModuleRepo.Collect(spool, "");

        var file = Assert.Single(files);
        Assert.Equal("go.mod", file.Path);
        using var s = file.Open();
        using var text = new StreamReader(s);
        Assert.Equal("module example.test/x\n", text.ReadToEnd());
    }

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Collect_MalformedTar_InvalidFailure(string corruption)
    {
        var tar = ValidTar();
        var header = HeaderOf(tar, "prefix/go.mod");
        switch (corruption)
        {
            case "garbage":
                // Fixed, not fresh each run: random bytes whose checksum field (offset 148) begins with a NUL or a space
                // read as a zero checksum, which the tar reader takes for the end of the archive (no entries, no
                // error), about one run in a hundred; a CI run hit it.
                tar = new byte[2048];
                new Random(20261122).NextBytes(tar);
                Assert.NotEqual(0, tar[148] & 0xdf);
                break;
            case "size-field":
                Encoding.ASCII.GetBytes("zzzzzzzzzzz\0").CopyTo(tar, header + 124);
                FixChecksum(tar, header);
                break;
            case "negative-size":
                // GNU base-256 size with the sign bit set: a negative length.
                tar.AsSpan(header + 124, 12).Fill(0xff);
                FixChecksum(tar, header);
                break;
        }

        var spool = Path.Combine(TestEnvironment.NewTempDir("collect-bad"), corruption + ".tar");
        File.WriteAllBytes(spool, tar);

        var e = Assert.Throws<DirectFailureException>(() => ModuleRepo.Collect(spool, ""));

        Assert.Equal(DirectFailureKind.Invalid, e.Kind);
        Assert.StartsWith("git archive: malformed tar: ", e.Message, StringComparison.Ordinal);
    }
}
