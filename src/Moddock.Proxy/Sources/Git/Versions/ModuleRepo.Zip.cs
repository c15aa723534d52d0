using System.Formats.Tar;
using Moddock.Modules;
using Moddock.Modules.Zip;

namespace Moddock.Proxy.Sources.Git.Versions;

/// <summary>
/// The module zip: cmd/go codeRepo.Zip (go1.19). git archive produces the files (so .gitattributes
/// eol and filter rules apply exactly as for the go command), then Moddock.Modules' zip rules decide
/// what goes in. The archive (a tar: see GitMirror.ArchiveAsync) is spooled to a temp file in the mirror
/// store, never to memory, and each file is read from the spool where the tar holds it.
/// </summary>
internal sealed partial class ModuleRepo
{
    public async Task<long> ZipAsync(string version, Stream destination, string tempDir, long maxArchive, CancellationToken ct)
    {
        if (version != CanonicalVersion(version))
        {
            throw Invalid(ModPath, version, "version is not canonical");
        }

        if (PseudoVersion.IsPseudo(version))
        {
            await StatAsync(version, ct).ConfigureAwait(false);
        }

        var (rev, subdir, _) = await FindDirAsync(version, ct).ConfigureAwait(false);
        var info = await CodeStatAsync(rev, ct).ConfigureAwait(false);
        var spool = Path.Combine(tempDir, "archive-" + Guid.NewGuid().ToString("N") + ".tar");
        try
        {
            bool any;
            try
            {
                // The limit is on the module's content (below), but the archive also holds what the zip
                // leaves out (nested modules, vendor/, symlinks), tar headers and padding: the spool only
                // gets a generous safety cap, so that a hostile repository cannot fill the disk.
                any = await _mirror.ArchiveAsync(info.Hash, subdir, spool, SpoolCap(maxArchive), ct).ConfigureAwait(false);
            }
            catch (DirectFailureException e) when (e.Kind == DirectFailureKind.TooLarge)
            {
                throw new DirectFailureException(
                    DirectFailureKind.TooLarge,
                    $"{ModPath}@{version}: repository tree at {rev} too large (git archive over {SpoolCap(maxArchive)} bytes, {SpoolCapFactor}× the {maxArchive}-byte module limit)");
            }

            if (!any)
            {
                throw Invalid(ModPath, version, $"no files in {subdir} at revision {rev}");
            }

            var files = Collect(spool, subdir);
            if (subdir.Length > 0 && !files.Any(f => f.Path == "LICENSE"))
            {
                // A module in a subdirectory without its own LICENSE gets the repository root's.
                var license = await _mirror.ReadFileAsync(info.Hash, "LICENSE", MaxLicense, ct).ConfigureAwait(false);
                if (license is not null)
                {
                    files.Add(new ZipSourceFile("LICENSE", license.Length, () => new MemoryStream(license, writable: false)));
                }
            }

            CheckContentSize(files, maxArchive, version);
            var counting = new CountingStream(destination);
            var error = ModuleZip.Create(counting, ModPath, version, files);
            if (error is not null)
            {
                throw new DirectFailureException(
                    error.Kind == ModuleErrorKind.ZipTooLarge ? DirectFailureKind.TooLarge : DirectFailureKind.Invalid,
                    $"{ModPath}@{version}: {error.Message}");
            }

            return counting.Written;
        }
        finally
        {
            File.Delete(spool);
        }
    }

    /// <summary>The raw archive may hold this many times the module limit (see ZipAsync).</summary>
    internal const int SpoolCapFactor = 4;

    private static long SpoolCap(long maxArchive) => maxArchive > long.MaxValue / SpoolCapFactor ? long.MaxValue : maxArchive * SpoolCapFactor;

    /// <summary>
    /// x/mod zip (MaxZipFile): the limit is on the total uncompressed size of the files that go into the
    /// module zip, so only those count: not nested modules' files, vendor/ (below go 1.24), symlinks or
    /// invalid paths. ModuleZip applies the 500 MiB rule itself; this applies the configured limit (lower
    /// in tests and for cautious operators) with the same message. Selecting the files costs a pass over
    /// the list, so it runs only when the plain sum is over the limit.
    /// </summary>
    private void CheckContentSize(List<ZipSourceFile> files, long maxArchive, string version)
    {
        long raw = 0;
        foreach (var f in files)
        {
            raw += f.IsRegular ? f.Size : 0;
        }

        if (raw <= maxArchive)
        {
            return;
        }

        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            sizes.TryAdd(f.Path, f.Size);
        }

        long content = 0;
        foreach (var p in ModuleZip.CheckFiles(files).Valid)
        {
            content += sizes[p];
        }

        if (content > maxArchive)
        {
            throw new DirectFailureException(
                DirectFailureKind.TooLarge, $"{ModPath}@{version}: module source tree too large (max size is {maxArchive} bytes)");
        }
    }

    /// <summary>
    /// The regular files and symlinks under subdir, as (path in module, size, where in the spool). A
    /// malformed archive (TarReader throws InvalidDataException or FormatException, not IOException) is
    /// an Invalid failure, like any other unusable answer from git.
    /// </summary>
    internal static List<ZipSourceFile> Collect(string spool, string subdir)
    {
        try
        {
            return CollectEntries(spool, subdir);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new DirectFailureException(DirectFailureKind.Invalid, "git archive: malformed tar: " + e.Message);
        }
    }

    private static List<ZipSourceFile> CollectEntries(string spool, string subdir)
    {
        var files = new List<ZipSourceFile>();
        var prefix = subdir.Trim('/');
        if (prefix.Length > 0)
        {
            prefix += "/";
        }

        using var tar = new FileStream(spool, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var reader = new TarReader(tar, leaveOpen: true);
        string? top = null;
        var verified = false;
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            // On a seekable stream the reader has already skipped the entry's data and its padding to the
            // next 512-byte block, so the data starts that far back.
            var offset = tar.Position - ((entry.Length + 511) / 512 * 512);
            if (!verified && entry.Length > 0 && entry.DataStream is not null)
            {
                VerifyOffset(tar, entry.DataStream, spool, offset, entry.Length);
                verified = true;
            }

            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
            {
                continue; // git's pax header carrying the commit id
            }

            var name = entry.Name;
            if (top is null)
            {
                var i = name.IndexOf('/', StringComparison.Ordinal);
                if (i < 0)
                {
                    throw new DirectFailureException(DirectFailureKind.Invalid, "git archive: missing top-level directory prefix");
                }

                top = name[..(i + 1)];
            }

            if (!name.StartsWith(top, StringComparison.Ordinal))
            {
                throw new DirectFailureException(DirectFailureKind.Invalid, "git archive: more than one top-level directory");
            }

            name = name[top.Length..];
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            name = name[prefix.Length..];
            if (name.Length == 0 || name.EndsWith('/') || entry.EntryType is TarEntryType.Directory)
            {
                continue;
            }

            // Symlinks (and anything else irregular) are left out of module zips, so they can never
            // point outside the tree; they are offered as irregular files, as cmd/go does.
            var regular = entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile;
            var size = regular ? entry.Length : 0;
            files.Add(new ZipSourceFile(name, size, () => new SpoolSliceStream(spool, offset, size), regular));
        }

        return files;
    }

    /// <summary>The first bytes at offset are the entry's data (guards the layout assumption above once per archive).</summary>
    private static void VerifyOffset(FileStream tar, Stream data, string spool, long offset, long length)
    {
        var keep = tar.Position;
        var n = (int)Math.Min(length, 64);
        var expected = new byte[n];
        data.ReadExactly(expected);
        tar.Position = keep;
        using var slice = new SpoolSliceStream(spool, offset, length);
        var actual = new byte[n];
        slice.ReadExactly(actual);
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            throw new DirectFailureException(DirectFailureKind.Invalid, "git archive: unexpected tar layout");
        }
    }
}
