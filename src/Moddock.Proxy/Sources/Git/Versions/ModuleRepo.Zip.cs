using System.IO.Compression;
using Moddock.Modules;
using Moddock.Modules.Zip;

namespace Moddock.Proxy.Sources.Git.Versions;

/// <summary>
/// The module zip: cmd/go codeRepo.Zip (go1.19). git archive produces the files (so .gitattributes
/// eol and filter rules apply exactly as for the go command), then Moddock.Modules' zip rules decide
/// what goes in. The archive is spooled to a temp file in the mirror store, never to memory.
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
        var spool = Path.Combine(tempDir, "archive-" + Guid.NewGuid().ToString("N") + ".zip");
        try
        {
            bool any;
            try
            {
                any = await _mirror.ArchiveAsync(info.Hash, subdir, spool, maxArchive, ct).ConfigureAwait(false);
            }
            catch (DirectFailureException e) when (e.Kind == DirectFailureKind.TooLarge)
            {
                throw new DirectFailureException(DirectFailureKind.TooLarge, $"{ModPath}@{version}: module source tree too large (more than {maxArchive} bytes)");
            }

            if (!any)
            {
                throw Invalid(ModPath, version, $"no files in {subdir} at revision {rev}");
            }

            using var archive = ZipFile.OpenRead(spool);
            var files = Collect(archive, subdir);
            if (subdir.Length > 0 && !files.Any(f => f.Path == "LICENSE"))
            {
                // A module in a subdirectory without its own LICENSE gets the repository root's.
                var license = await _mirror.ReadFileAsync(info.Hash, "LICENSE", MaxLicense, ct).ConfigureAwait(false);
                if (license is not null)
                {
                    files.Add(new ZipSourceFile("LICENSE", license.Length, () => new MemoryStream(license, writable: false)));
                }
            }

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

    private static List<ZipSourceFile> Collect(ZipArchive archive, string subdir)
    {
        var files = new List<ZipSourceFile>();
        var prefix = subdir.Trim('/');
        if (prefix.Length > 0)
        {
            prefix += "/";
        }

        string? top = null;
        foreach (var entry in archive.Entries)
        {
            var name = entry.FullName;
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
            if (name.Length == 0 || name.EndsWith('/'))
            {
                continue;
            }

            // Unix mode bits live in the high 16 bits of the external attributes; symlinks (0120000) and
            // other irregular files are left out of module zips, so they can never point outside the tree.
            var mode = (entry.ExternalAttributes >> 16) & 0xF000;
            var regular = mode is 0 or 0x8000;
            var e = entry;
            files.Add(new ZipSourceFile(name, e.Length, e.Open, regular));
        }

        return files;
    }
}
