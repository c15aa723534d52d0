// TEMPORARY: stand-ins for the `modules` branch types named in docs/CONTRACTS.md, so the zip code
// compiles before that branch lands. Deleted when `modules` is merged; holds no path rules.
#pragma warning disable CA1812, IDE0060
namespace Moddock.Modules;

public enum ModuleErrorKind { InvalidPath, InvalidVersion, InvalidEscape, InvalidFilePath, ZipInvalid, ZipTooLarge, GoModInvalid, Other }

public sealed record ModuleError(ModuleErrorKind Kind, string Message);

public sealed class ModuleException(ModuleError error) : Exception(error.Message)
{
    public ModuleError Error { get; } = error;
}

public static class ModulePathChecks
{
    public static ModuleError? CheckFilePath(string path) => null;

    public static ModuleError? Check(string path, string version) => null;
}

public static class Semver
{
    public static string Canonical(string v) => v.Contains('+', StringComparison.Ordinal) ? v[..v.IndexOf('+', StringComparison.Ordinal)] : v;

    public static string Build(string v) => v.Contains('+', StringComparison.Ordinal) ? v[v.IndexOf('+', StringComparison.Ordinal)..] : "";
}
