using System.Diagnostics;
using System.Text.Json;

namespace Moddock.Doctor.Settings;

/// <summary>
/// Reads the Go settings the way the go command resolves them. With `go` on PATH, `go env -json` is the
/// answer (it knows $GOROOT/go.env and its own version's defaults); otherwise a non-empty environment
/// variable wins, then the go env file, then Go's built-in defaults (cmd/go/internal/cfg: GOPROXY
/// https://proxy.golang.org,direct; GOSUMDB sum.golang.org; GONOPROXY and GONOSUMDB default to GOPRIVATE).
/// The origin of each value is worked out the same way in both cases.
/// </summary>
internal static class GoSettingsReader
{
    public static async Task<GoSettings> ReadAsync(Func<string, string?> env, string? goPath, TimeSpan timeout, CancellationToken ct)
    {
        var file = GoEnvFile.Read(GoEnvFile.Locate(env));
        Dictionary<string, string>? fromGo = null;
        string? goVersion = null;
        string? goError = null;
        if (goPath is not null)
        {
            (fromGo, goError) = await RunGoEnvAsync(goPath, timeout, ct).ConfigureAwait(false);
            if (fromGo is not null && fromGo.TryGetValue("GOVERSION", out var v))
            {
                goVersion = v;
            }
        }

        var values = new Dictionary<string, GoSetting>(StringComparer.Ordinal);
        // GOPRIVATE first: it is the default of GONOPROXY and GONOSUMDB.
        foreach (var key in GoSettings.GoKeys.OrderBy(k => k == "GOPRIVATE" ? 0 : 1))
        {
            values[key] = Resolve(key, env, file, fromGo, values);
        }

        values = GoSettings.GoKeys.ToDictionary(k => k, k => values[k], StringComparer.Ordinal);

        foreach (var key in GoSettings.ProxyKeys)
        {
            var upper = env(key);
            var lower = env(key.ToLowerInvariant());
            values[key] = !string.IsNullOrEmpty(upper)
                ? new GoSetting(key, upper, SettingOrigin.Environment, "environment ($" + key + ")")
                : !string.IsNullOrEmpty(lower)
                    ? new GoSetting(key, lower, SettingOrigin.Environment, "environment ($" + key.ToLowerInvariant() + ")")
                    : new GoSetting(key, string.Empty, SettingOrigin.Unset, "not set");
        }

        var source = fromGo is not null ? $"go env -json ({goPath})" : "environment, go env file, Go defaults (no go command" + (goError is null ? " on PATH)" : $": {goError})");
        return new GoSettings(values, file, source, goVersion, goError);
    }

    private static GoSetting Resolve(string key, Func<string, string?> env, GoEnvFile file, Dictionary<string, string>? fromGo, Dictionary<string, GoSetting> so)
    {
        var fromEnv = env(key);
        file.Values.TryGetValue(key, out var fromFile);
        string? builtin = key switch
        {
            "GOPROXY" => "https://proxy.golang.org,direct",
            "GOSUMDB" => "sum.golang.org",
            "GONOPROXY" or "GONOSUMDB" => so.TryGetValue("GOPRIVATE", out var p) ? p.Value : string.Empty,
            _ => string.Empty,
        };

        if (fromGo is not null && fromGo.TryGetValue(key, out var goValue))
        {
            var origin = !string.IsNullOrEmpty(fromEnv) && fromEnv == goValue ? (SettingOrigin.Environment, "environment ($" + key + ")")
                : !string.IsNullOrEmpty(fromFile) && fromFile == goValue ? (SettingOrigin.GoEnvFile, "go env file " + file.Path)
                : goValue == builtin ? (SettingOrigin.Default, DefaultText(key))
                : (SettingOrigin.GoCommand, "go env ($GOROOT/go.env or the toolchain's default)");
            return new GoSetting(key, goValue, origin.Item1, origin.Item2);
        }

        if (!string.IsNullOrEmpty(fromEnv))
        {
            return new GoSetting(key, fromEnv, SettingOrigin.Environment, "environment ($" + key + ")");
        }

        if (!string.IsNullOrEmpty(fromFile))
        {
            return new GoSetting(key, fromFile, SettingOrigin.GoEnvFile, "go env file " + file.Path);
        }

        return new GoSetting(key, builtin, string.IsNullOrEmpty(builtin) ? SettingOrigin.Unset : SettingOrigin.Default, string.IsNullOrEmpty(builtin) ? "not set" : DefaultText(key));
    }

    private static string DefaultText(string key) => key is "GONOPROXY" or "GONOSUMDB" ? "default (= GOPRIVATE)" : "Go's default";

    private static async Task<(Dictionary<string, string>?, string?)> RunGoEnvAsync(string goPath, TimeSpan timeout, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(goPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("env");
        psi.ArgumentList.Add("-json");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        Process? p = null;
        try
        {
            p = Process.Start(psi);
            if (p is null)
            {
                return (null, "could not start go");
            }

            var stdout = p.StandardOutput.ReadToEndAsync(cts.Token);
            var stderr = p.StandardError.ReadToEndAsync(cts.Token);
            await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            var text = await stdout.ConfigureAwait(false);
            if (p.ExitCode != 0)
            {
                var err = (await stderr.ConfigureAwait(false)).Trim();
                return (null, $"go env -json exited {p.ExitCode}: {(err.Length > 200 ? err[..200] : err)}");
            }

            var dict = JsonSerializer.Deserialize<Dictionary<string, string>>(text);
            return (dict, null);
        }
        catch (OperationCanceledException)
        {
            try
            {
                p?.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            return (null, "go env -json did not finish in time");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or JsonException or IOException)
        {
            return (null, "go env -json failed: " + e.Message);
        }
        finally
        {
            p?.Dispose();
        }
    }

    /// <summary>The go command on PATH, or null (no Go toolchain is needed, but one is used when present).</summary>
    public static string? FindGo(Func<string, string?> env)
    {
        foreach (var dir in (env("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "go");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
