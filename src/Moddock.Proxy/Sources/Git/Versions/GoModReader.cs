using Moddock.Modules;

namespace Moddock.Proxy.Sources.Git.Versions;

/// <summary>The two things direct mode reads from a go.mod, through Moddock.Modules' modfile.ParseLax port.</summary>
internal static class GoModReader
{
    /// <summary>modfile.ModulePath: the module directive's path, or "" when there is none or the file does not parse.</summary>
    public static string ModulePath(byte[] goMod) =>
        GoModFile.TryParse(goMod, out var f, out _) && f?.ModulePath is { } p ? p : "";

    public static IReadOnlyList<Retraction> Retractions(byte[] goMod) =>
        GoModFile.TryParse(goMod, out var f, out _) && f is not null ? f.Retractions : [];
}
