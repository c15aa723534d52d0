using Moddock.Modules;
using Moddock.Proxy.Storage;

namespace Moddock.Proxy;

/// <summary>
/// What a request asks for: a store key (list, @latest, or a canonical version's .info/.mod/.zip), or a
/// query (.info of a branch, <c>v1.2</c>) that only a source can resolve; or why the request is invalid.
/// </summary>
internal sealed record ResolveTarget(ModuleRequest Request, StoreKey? Key, string Id, ResolveOutcome? Invalid, string? InvalidReason)
{
    private const int MaxQueryLength = 512;

    // Path elements and version file names become file names in the store (255 bytes on Linux),
    // with room for the temp-file prefix.
    private const int MaxStoredNameLength = 200;

    public ModulePath Path => Request.Path;

    public bool IsQuery => Key is null && Invalid is null;

    public static ResolveTarget From(ModuleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Path;
        if (path.Escaped.Split('/').Any(e => e.Length > MaxStoredNameLength))
        {
            return Bad(request, ResolveOutcome.BadRequest, $"{Quote(path.Value)}: a module path element is too long");
        }

        switch (request.Kind)
        {
            case ArtifactKind.List:
                return Ok(request, StoreKey.List(path));
            case ArtifactKind.Latest:
                return Ok(request, StoreKey.Latest(path));
        }

        var query = request.Query ?? "";
        if (query.Length == 0 || query.Length > MaxQueryLength || query.Any(c => char.IsControl(c) || c is '/' or '\\'))
        {
            return Bad(request, ResolveOutcome.BadRequest, $"invalid version {Quote(query)}");
        }

        if (ModuleVersion.TryParse(query, out var version, out _))
        {
            if (version.Escaped.Length > MaxStoredNameLength)
            {
                return Bad(request, ResolveOutcome.BadRequest, $"{path}@{Quote(query)}: version is too long");
            }

            if (ModulePathChecks.Check(path.Value, version.Value) is not { } mismatch)
            {
                return Ok(request, StoreKey.ForVersion(path, request.Kind, version));
            }

            // A v2+ version on a path without a major suffix is a query when only +incompatible would make it fit:
            // `go get github.com/docker/docker@v24.0.0` asks for v24.0.0.info, and proxy.golang.org (like the go
            // command's own direct mode) answers with v24.0.0+incompatible. Only the source knows whether that
            // version exists without a go.mod, so it is resolved like a branch name.
            if (request.Kind == ArtifactKind.Info && version.Value.IndexOf('+', StringComparison.Ordinal) < 0
                && ModulePathChecks.Check(path.Value, version.Value + "+incompatible") is null)
            {
                return Query(request, query);
            }

            // module.Check: the major must fit the path (v2+ needs /v2 or +incompatible); proxies answer 404.
            return Bad(request, ResolveOutcome.NotFound, mismatch.Message); // already "path@version: invalid version: why"
        }

        if (request.Kind != ArtifactKind.Info)
        {
            // Only .info resolves queries; the go command asks .mod/.zip for canonical versions only.
            return Semver.IsValid(query)
                ? Bad(request, ResolveOutcome.NotFound, $"{path}@{query}: version is not canonical (use {Semver.Canonical(query)})")
                : Bad(request, ResolveOutcome.BadRequest, $"{path}@{Quote(query)}: malformed version");
        }

        return Query(request, query);
    }

    private static ResolveTarget Query(ModuleRequest request, string query) => new(request, null, $"{request.Path}\n{request.Kind}?{query}", null, null);

    private static ResolveTarget Ok(ModuleRequest request, StoreKey key) => new(request, key, key.ToString(), null, null);

    private static ResolveTarget Bad(ModuleRequest request, ResolveOutcome outcome, string reason) => new(request, null, "", outcome, reason);

    // Reasons go back to the client as text: no control characters, bounded length.
    private static string Quote(string s)
    {
        var clean = new string([.. s.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return s.Length > 64 ? clean + "…" : clean;
    }
}
