using Moddock.Modules.Paths;
using Moddock.Modules.Text;

namespace Moddock.Modules;

/// <summary>
/// module.CheckPath / CheckImportPath / CheckFilePath / CheckPathMajor / Check from golang.org/x/mod, returning
/// null when the input is valid and otherwise an error whose message is Go's, word for word.
/// </summary>
public static class ModulePathChecks
{
    /// <summary>
    /// A module path: a valid import path whose first element is a lower-case domain name with a dot, whose
    /// elements do not start with a dot, and whose major-version suffix (/vN, gopkg.in .vN) is well formed.
    /// </summary>
    public static ModuleError? CheckPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return CheckPathReason(path) is { } reason ? Malformed("module", path, reason, ModuleErrorKind.InvalidPath) : null;
    }

    public static ModuleError? CheckImportPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return PathRules.CheckPath(path, PathKind.Import) is { } reason
            ? Malformed("import", path, reason, ModuleErrorKind.InvalidPath)
            : null;
    }

    /// <summary>A slash-separated file path inside a module: Unicode letters and more punctuation are allowed.</summary>
    public static ModuleError? CheckFilePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return PathRules.CheckPath(path, PathKind.File) is { } reason
            ? Malformed("file", path, reason, ModuleErrorKind.InvalidFilePath)
            : null;
    }

    /// <summary>
    /// Whether semantic version <paramref name="version"/> fits the path's major suffix (<c>""</c>, <c>"/v2"</c>,
    /// <c>".v1"</c>, <c>".v1-unstable"</c>). Like Go, inputs are not validated further.
    /// </summary>
    public static ModuleError? CheckPathMajor(string version, string pathMajor)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(pathMajor);
        return CheckPathMajorReason(version, pathMajor) is { } reason
            ? new ModuleError(ModuleErrorKind.InvalidVersion, InvalidVersion(version, reason))
            : null;
    }

    /// <summary>module.Check: a valid module path, a valid semantic version, and the two agree on the major version.</summary>
    public static ModuleError? Check(string path, string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (CheckPath(path) is { } pathError)
        {
            return pathError;
        }

        if (!Semver.IsValid(version))
        {
            return new ModuleError(ModuleErrorKind.InvalidVersion, $"{path}@{version}: invalid version: not a semantic version");
        }

        var (_, pathMajor, _) = PathRules.SplitPathVersion(path);
        return CheckPathMajorReason(version, pathMajor) is { } reason
            ? new ModuleError(ModuleErrorKind.InvalidVersion, $"{path}@{version}: invalid version: {reason}")
            : null;
    }

    /// <summary>module.SplitPathVersion: <c>Prefix + PathMajor == path</c>; Ok is false for a malformed suffix such as /v1 or /v1.2.</summary>
    public static (string Prefix, string PathMajor, bool Ok) SplitPathVersion(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return PathRules.SplitPathVersion(path);
    }

    internal static string? CheckPathReason(string path)
    {
        if (PathRules.CheckPath(path, PathKind.Module) is { } reason)
        {
            return reason;
        }

        var i = path.IndexOf('/', StringComparison.Ordinal);
        if (i < 0)
        {
            i = path.Length;
        }

        if (i == 0)
        {
            return "leading slash";
        }

        var first = path.AsSpan(0, i);
        if (!first.Contains('.'))
        {
            return "missing dot in first path element";
        }

        if (path[0] == '-')
        {
            return "leading dash in first path element";
        }

        foreach (var r in first)
        {
            if (!PathRules.FirstPathOk(r))
            {
                return "invalid char " + GoQuote.QuoteRune(r) + " in first path element";
            }
        }

        return PathRules.SplitPathVersion(path).Ok ? null : "invalid version";
    }

    internal static string? CheckPathMajorReason(string v, string pathMajor)
    {
        if (pathMajor.StartsWith(".v", StringComparison.Ordinal) && pathMajor.EndsWith("-unstable", StringComparison.Ordinal))
        {
            pathMajor = pathMajor[..^"-unstable".Length];
        }

        // Early vgo wrote v0.0.0- pseudo-versions for gopkg.in .v1 paths; go.mod files still carry them.
        if (v.StartsWith("v0.0.0-", StringComparison.Ordinal) && pathMajor == ".v1")
        {
            return null;
        }

        var m = Semver.Major(v);
        if (pathMajor.Length == 0)
        {
            if (m is "v0" or "v1" || Semver.Build(v) == "+incompatible")
            {
                return null;
            }

            pathMajor = "v0 or v1";
        }
        else if (pathMajor[0] is '/' or '.')
        {
            if (m.AsSpan().SequenceEqual(pathMajor.AsSpan(1)))
            {
                return null;
            }

            pathMajor = pathMajor[1..];
        }

        return $"should be {pathMajor}, not {m}";
    }

    /// <summary>module.InvalidVersionError text: <c>version "v" invalid: reason</c>.</summary>
    internal static string InvalidVersion(string version, string reason, bool pseudo = false) =>
        $"{(pseudo ? "pseudo-version" : "version")} {GoQuote.Quote(version)} invalid: {reason}";

    private static ModuleError Malformed(string kind, string path, string reason, ModuleErrorKind errorKind) =>
        new(errorKind, $"malformed {kind} path {GoQuote.Quote(path)}: {reason}");
}
