using Moddock.Proxy;
using Moddock.Proxy.Storage;

namespace Moddock.Server.Caching;

/// <summary>
/// Puts every newly stored .info, .mod and .zip into <see cref="MemoryArtifactCache"/> under the target
/// the go command asks for (<c>/escaped-path/@v/escaped-version.ext</c>, module.EscapePath and EscapeVersion),
/// so the first request after a fetch (the read-ahead's, or another client's) is a memory hit that the hot
/// path answers, not a store read through Kestrel. Other spellings of the same target (%21 for !) still
/// reach the endpoint, which caches them under their own key on their first store hit.
/// </summary>
internal sealed class StoredArtifactAdmission(MemoryArtifactCache memory)
{
    private ModuleProxy? _proxy;

    /// <summary>Subscribes to the proxy's stored artifacts (<see cref="ModuleProxy.ArtifactStored"/>).</summary>
    public void Attach(ModuleProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        if (memory.BudgetBytes > 0)
        {
            _proxy = proxy;
            proxy.ArtifactStored += Admit;
        }
    }

    /// <summary>The canonical request target of an immutable artifact.</summary>
    public static string TargetFor(StoreKey key) =>
        "/" + key.Path.Escaped + "/@v/" + key.Version!.Value.Escaped + key.Kind switch
        {
            ArtifactKind.Info => ".info",
            ArtifactKind.Mod => ".mod",
            _ => ".zip",
        };

    public void Admit(StoredArtifact stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var key = stored.Key;
        if (!key.IsImmutable || key.Version is null || stored.FilePath is not { } file)
        {
            return;
        }

        var target = TargetFor(key);
        if (memory.TryLoad(file, stored.Length, key.Kind, stored.SavedAt, key.Path.Value, key.Version.Value.Value, key.Kind.ToString()) is not { } entry)
        {
            return;
        }

        if (key.Kind == ArtifactKind.Info && _proxy is { } proxy)
        {
            // An .info read ahead is answered from memory without reaching the resolver: the first client that
            // asks for it still tells the read-ahead, which then reads the zip ahead as after a resolved .info.
            var (path, version) = (key.Path, key.Version.Value);
            entry.OnFirstRequest(() => proxy.NoteInfoRequested(path, version));
        }

        // The store commits an immutable artifact again only when it replaced its copy (damage found and fetched
        // again, or a copy another process stored first): an entry from before must not keep answering for it.
        if (memory.TryPeek(target, out var earlier))
        {
            memory.TryRemove(target, earlier);
        }

        if (!memory.TryAdd(target, entry))
        {
            entry.Dispose();
        }
    }
}
