using Moddock.Modules;

namespace Moddock.Proxy.Storage;

/// <summary>
/// Identity of one stored artifact: a module's list or @latest, or the .info/.mod/.zip of one canonical version.
/// Queries (branches, <c>v1.2</c>) are never store keys: only what they resolved to is stored.
/// </summary>
public readonly record struct StoreKey
{
    private StoreKey(ModulePath path, ArtifactKind kind, ModuleVersion? version)
    {
        Path = path;
        Kind = kind;
        Version = version;
    }

    public ModulePath Path { get; }

    public ArtifactKind Kind { get; }

    /// <summary>Set for Info/Mod/Zip, null for List/Latest.</summary>
    public ModuleVersion? Version { get; }

    /// <summary>.info, .mod and .zip of a canonical version never change once stored; list and @latest do.</summary>
    public bool IsImmutable => Kind is ArtifactKind.Info or ArtifactKind.Mod or ArtifactKind.Zip;

    public static StoreKey List(ModulePath path) => new(path, ArtifactKind.List, null);

    public static StoreKey Latest(ModulePath path) => new(path, ArtifactKind.Latest, null);

    public static StoreKey ForVersion(ModulePath path, ArtifactKind kind, ModuleVersion version) =>
        kind is ArtifactKind.Info or ArtifactKind.Mod or ArtifactKind.Zip
            ? new(path, kind, version)
            : throw new ArgumentException($"{kind} has no version", nameof(kind));

    public override string ToString() => Kind switch
    {
        ArtifactKind.List => $"{Path}/@v/list",
        ArtifactKind.Latest => $"{Path}/@latest",
        _ => $"{Path}@{Version}.{Kind.ToString().ToLowerInvariant()}",
    };
}
