using Moddock.Modules;

namespace Moddock.Proxy;

/// <summary>One GOPROXY request, already decoded and validated by the server.</summary>
/// <param name="Query">For Info/Mod/Zip: the unescaped version or query text (a branch, <c>v1.2</c>); null for List/Latest.</param>
public sealed record ModuleRequest(ModulePath Path, ArtifactKind Kind, string? Query);
