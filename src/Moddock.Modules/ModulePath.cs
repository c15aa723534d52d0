using Moddock.Modules.Paths;

namespace Moddock.Modules;

/// <summary>A module path that passed <see cref="ModulePathChecks.CheckPath"/>, such as <c>github.com/Azure/go-autorest/v14</c>.</summary>
public readonly record struct ModulePath
{
    private readonly string? _value;

    private ModulePath(string value) => _value = value;

    public string Value => _value ?? "";

    /// <summary>The case-escaped form used in proxy URLs and the download cache ("A" → "!a").</summary>
    public string Escaped => ModuleEscaping.EscapeChecked(Value);

    public static bool TryParse(string path, out ModulePath result, out ModuleError? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        error = ModulePathChecks.CheckPath(path);
        result = error is null ? new ModulePath(path) : default;
        return error is null;
    }

    public static ModulePath Parse(string path) =>
        TryParse(path, out var result, out var error) ? result : throw new ModuleException(error!);

    /// <summary>Unescapes a path from a URL or cache directory ("!a" → "A"); the caller percent-decodes first.</summary>
    public static bool TryUnescape(string escaped, out ModulePath result, out ModuleError? error)
    {
        if (ModuleEscaping.TryUnescapePath(escaped, out var path, out error))
        {
            result = new ModulePath(path);
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>module.SplitPathVersion: "rsc.io/quote/v3" → ("rsc.io/quote", "/v3"), "gopkg.in/yaml.v2" → ("gopkg.in/yaml", ".v2").</summary>
    public (string Prefix, string MajorSuffix) Split()
    {
        var (prefix, major, _) = PathRules.SplitPathVersion(Value);
        return (prefix, major);
    }

    public override string ToString() => Value;
}
