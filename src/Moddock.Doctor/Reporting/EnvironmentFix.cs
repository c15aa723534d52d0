using Moddock.Doctor.Settings;

namespace Moddock.Doctor.Reporting;

/// <summary>
/// `go env -w` writes the go env file, and the go command reads a non-empty environment variable first:
/// with GOPROXY exported, `go env -w GOPROXY=...` only prints "does not override conflicting OS
/// environment variable" and changes nothing (cmd/go/internal/envcmd, go 1.19). So a fix for a setting that
/// came from the environment exports the new value instead.
/// </summary>
internal static class EnvironmentFix
{
    private const string GoEnvW = "go env -w ";

    public static string? For(string? fix, GoSettings settings)
    {
        if (fix is null || !fix.StartsWith(GoEnvW, StringComparison.Ordinal))
        {
            return fix;
        }

        var assignment = fix[GoEnvW.Length..];
        var eq = assignment.IndexOf('=', StringComparison.Ordinal);
        var key = eq > 0 ? assignment[..eq].TrimStart('\'', '"') : string.Empty;
        return settings.Values.TryGetValue(key, out var s) && s.Origin == SettingOrigin.Environment
            ? "export " + assignment
            : fix;
    }
}
