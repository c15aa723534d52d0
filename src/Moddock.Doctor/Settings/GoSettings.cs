namespace Moddock.Doctor.Settings;

/// <summary>The effective settings the go command would use for module downloads, each with its origin.</summary>
internal sealed class GoSettings(IReadOnlyDictionary<string, GoSetting> values, GoEnvFile envFile, string source, string? goVersion, string? goError)
{
    public static readonly string[] GoKeys = ["GOPROXY", "GONOPROXY", "GOPRIVATE", "GONOSUMDB", "GOSUMDB", "GOINSECURE", "GOFLAGS", "GOVCS"];
    public static readonly string[] ProxyKeys = ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"];

    public IReadOnlyDictionary<string, GoSetting> Values => values;

    public GoEnvFile EnvFile => envFile;

    /// <summary>"go env -json" or "environment, go env file and defaults".</summary>
    public string Source => source;

    public string? GoVersion => goVersion;

    public string? GoError => goError;

    public string this[string key] => values.TryGetValue(key, out var s) ? s.Value : string.Empty;
}
