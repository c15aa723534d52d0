using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Proxy;

namespace Moddock.Commands;

/// <summary>
/// The private log's fetch hook: the go command looks a version up in the checksum database before it
/// downloads it, so a lookup of a private version not logged yet resolves its .mod and .zip through the
/// proxy pipeline (which logs them via the routing verifier) and returns their h1 hashes.
/// Wire it with: <c>log.FetchHook = SumdbPrivateLogHook.Create(() => resolver)</c>.
/// </summary>
internal static class SumdbPrivateLogHook
{
    public static Func<ModulePath, ModuleVersion, CancellationToken, Task<(string ZipH1, string ModH1)?>> Create(Func<IModuleResolver> resolver) =>
        async (path, version, ct) =>
        {
            var r = resolver();
            var mod = await r.ResolveAsync(new ModuleRequest(path, ArtifactKind.Mod, version.Value), ct).ConfigureAwait(false);
            if (mod.Outcome != ResolveOutcome.Found || mod.Content is null)
            {
                return NotThere(mod, path, version);
            }

            byte[] modBytes;
            await using (var s = mod.Content.Open(ct))
            using (var ms = new MemoryStream())
            {
                await s.CopyToAsync(ms, ct).ConfigureAwait(false);
                modBytes = ms.ToArray();
            }

            var zip = await r.ResolveAsync(new ModuleRequest(path, ArtifactKind.Zip, version.Value), ct).ConfigureAwait(false);
            if (zip.Outcome != ResolveOutcome.Found || zip.Content is null)
            {
                return NotThere(zip, path, version);
            }

            var zipFile = zip.Content.FilePath;
            string? temp = null;
            if (zipFile is null)
            {
                temp = Path.GetTempFileName();
                await using (var s = zip.Content.Open(ct))
                await using (var f = File.Create(temp))
                {
                    await s.CopyToAsync(f, ct).ConfigureAwait(false);
                }

                zipFile = temp;
            }

            try
            {
                return (DirHash.HashZip(zipFile), DirHash.HashGoMod(modBytes));
            }
            finally
            {
                if (temp is not null)
                {
                    File.Delete(temp);
                }
            }
        };

    /// <summary>
    /// Only a version that does not exist is "not in the log" (404); any other failure (refused content,
    /// an unreachable repository) is thrown so the log answers 502 with the pipeline's reason.
    /// </summary>
    private static (string ZipH1, string ModH1)? NotThere(ResolveResult r, ModulePath path, ModuleVersion version) =>
        r.Outcome is ResolveOutcome.NotFound or ResolveOutcome.Gone
            ? null
            : throw new InvalidOperationException($"{path}@{version}: {r.Outcome}: {r.Reason}");
}
