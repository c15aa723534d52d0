namespace Moddock.Doctor.Settings;

/// <summary>
/// The user's go env file ($GOENV, else os.UserConfigDir()/go/env; GOENV=off disables it), read like
/// cmd/go/internal/cfg.initEnvCache: KEY=VALUE lines; lines without '=' or not starting with A–Z are
/// ignored by Go, and reported here as malformed so a person can see why a `go env -w` seems lost.
/// </summary>
internal sealed record GoEnvFile(string? Path, IReadOnlyDictionary<string, string> Values, IReadOnlyList<int> MalformedLines, string? Error)
{
    public static string? Locate(Func<string, string?> env)
    {
        if (env("GOENV") is { Length: > 0 } file)
        {
            return file == "off" ? null : file;
        }

        var config = env("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(config))
        {
            var home = env("HOME");
            if (string.IsNullOrEmpty(home))
            {
                return null;
            }

            config = System.IO.Path.Combine(home, ".config");
        }

        return System.IO.Path.Combine(config, "go", "env");
    }

    public static GoEnvFile Read(string? path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (path is null || !File.Exists(path))
        {
            return new GoEnvFile(path, values, [], null);
        }

        byte[] data;
        try
        {
            if (new FileInfo(path).Length > 1024 * 1024)
            {
                return new GoEnvFile(path, values, [], "larger than 1 MiB; not a go env file");
            }

            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new GoEnvFile(path, values, [], e.Message);
        }

        var malformed = new List<int>();
        var text = System.Text.Encoding.UTF8.GetString(data);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || (i == lines.Length - 1 && line.Length == 0))
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || line[0] is < 'A' or > 'Z')
            {
                if (line.TrimStart().Length > 0 && !line.StartsWith('#'))
                {
                    malformed.Add(i + 1);
                }

                continue;
            }

            values[line[..eq]] = line[(eq + 1)..];
        }

        return new GoEnvFile(path, values, malformed, null);
    }
}
