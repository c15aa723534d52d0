using Moddock.Modules;
using Moddock.Proxy;

namespace Moddock.Server.Routing;

/// <summary>
/// Turns a raw HTTP request target into a <see cref="ModuleRequest"/>, or says why it names no
/// artifact. It reads the raw target, never the server's decoded path, so that every escape is
/// decoded exactly once and nothing that could climb out of a directory gets past this point:
/// '.' and '..' elements, empty elements (which is what an absolute path after the root is),
/// backslashes and NULs are refused before the Modules rules see the path.
/// </summary>
internal static class ProxyTarget
{
    /// <summary>Longer targets get 414. Go module paths in the wild stay far below this.</summary>
    public const int MaxTargetLength = 2048;

    public static bool TryParse(string rawTarget, out ModuleRequest? request, out TargetRejection? rejection)
    {
        request = null;
        rejection = Parse(rawTarget, ref request);
        return rejection is null;
    }

    private static TargetRejection? Parse(string rawTarget, ref ModuleRequest? request)
    {
        if (rawTarget.Length > MaxTargetLength)
        {
            return new TargetRejection(414, $"request target is longer than {MaxTargetLength} bytes");
        }

        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = query >= 0 ? rawTarget[..query] : rawTarget;
        if (!rawPath.StartsWith('/'))
        {
            return BadRequest("request target must be a path starting with '/'");
        }

        if (!PercentDecoder.TryDecode(rawPath, out var path, out var decodeProblem))
        {
            return BadRequest(decodeProblem!);
        }

        foreach (var c in path)
        {
            if (c == '\\')
            {
                return BadRequest("request path holds a backslash");
            }

            if (char.IsControl(c))
            {
                return BadRequest("request path holds a control character");
            }
        }

        if (path == "/")
        {
            return NotFound("this is a Go module proxy: set GOPROXY to this address");
        }

        var elements = path[1..].Split('/');
        foreach (var e in elements)
        {
            if (e.Length == 0)
            {
                return BadRequest("request path has an empty element (\"//\", a trailing slash or an absolute path)");
            }

            if (e is "." or "..")
            {
                return BadRequest("request path has a \".\" or \"..\" element");
            }
        }

        ArtifactKind kind;
        string? escapedVersion = null;
        int moduleElements;
        if (elements[^1] == "@latest")
        {
            kind = ArtifactKind.Latest;
            moduleElements = elements.Length - 1;
        }
        else if (elements.Length >= 3 && elements[^2] == "@v")
        {
            moduleElements = elements.Length - 2;
            var file = elements[^1];
            if (file == "list")
            {
                kind = ArtifactKind.List;
            }
            else if (TrySplitExtension(file, out kind, out var v))
            {
                escapedVersion = v;
            }
            else
            {
                return NotFound($"unknown file \"{file}\": want list, VERSION.info, VERSION.mod or VERSION.zip");
            }
        }
        else
        {
            return NotFound("not a module proxy path: want MODULE/@v/list, MODULE/@v/VERSION.info|.mod|.zip or MODULE/@latest");
        }

        if (moduleElements == 0)
        {
            return NotFound("request path names no module");
        }

        var escapedPath = string.Join('/', elements, 0, moduleElements);
        if (!ModulePath.TryUnescape(escapedPath, out var module, out var pathError))
        {
            return BadRequest("invalid module path: " + (pathError?.Message ?? escapedPath));
        }

        string? version = null;
        if (escapedVersion is not null)
        {
            if (escapedVersion.Length == 0)
            {
                return BadRequest("empty version");
            }

            if (!ModuleEscaping.TryUnescapeVersion(escapedVersion, out version, out var escError))
            {
                // The error already reads 'invalid escaped version "V"[: why]'.
                return BadRequest(escError?.Message ?? $"invalid escaped version \"{escapedVersion}\"");
            }

            // .mod and .zip exist only for canonical versions (go.dev/ref/mod#goproxy-protocol):
            // a query there names nothing, so it is a 404 that lets a ',' list move on.
            if (kind is ArtifactKind.Mod or ArtifactKind.Zip)
            {
                if (!ModuleVersion.TryParse(version, out var canonical, out var versionError))
                {
                    return NotFound($"{module.Value}@{version}: invalid version: {VersionMessage(versionError)}");
                }

                if (ModulePathChecks.Check(module.Value, canonical.Value) is { } majorError)
                {
                    return NotFound(majorError.Message); // already "path@version: invalid version: why"
                }

                version = canonical.Value;
            }
        }

        request = new ModuleRequest(module, kind, version);
        return null;
    }

    private static string VersionMessage(ModuleError? e) => e?.Message ?? "not a canonical version";

    private static bool TrySplitExtension(string file, out ArtifactKind kind, out string version)
    {
        foreach (var (ext, k) in new[] { (".info", ArtifactKind.Info), (".mod", ArtifactKind.Mod), (".zip", ArtifactKind.Zip) })
        {
            if (file.EndsWith(ext, StringComparison.Ordinal))
            {
                kind = k;
                version = file[..^ext.Length];
                return true;
            }
        }

        kind = default;
        version = "";
        return false;
    }

    private static TargetRejection BadRequest(string reason) => new(400, "bad request: " + reason);

    private static TargetRejection NotFound(string reason) => new(404, "not found: " + reason);
}
