using System.Globalization;
using Moddock.Proxy.Sources.Git;
using Moddock.Server.Auth;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Moddock.Server.Configuration;

/// <summary>
/// Reads the YAML file given to --config into flat settings. Keys are the setting names of
/// <see cref="ServeSettingKeys"/>; `direct:` is a nested section; `auth:` is structured and read by <see cref="AuthConfigSection"/>, and `direct:`'s lists by <see cref="DirectConfigSection"/>. Unknown keys are problems that
/// name the key, so a typo never silently falls back to a default.
/// </summary>
internal static class ServeConfigFile
{
    public static Dictionary<string, SettingValue> Read(string path, List<ConfigProblem> problems) => Read(path, problems, out _);

    /// <param name="auth">The `auth:` section (structured, YAML only), or null when absent or invalid.</param>
    public static Dictionary<string, SettingValue> Read(string path, List<ConfigProblem> problems, out ClientAuthOptions? auth) =>
        Read(path, problems, out auth, [], []);

    /// <param name="rewriteRules">Receives `direct.rewrite` (YAML only).</param>
    /// <param name="credentials">Receives `direct.credentials` (YAML only; tokens still named by variable).</param>
    public static Dictionary<string, SettingValue> Read(string path, List<ConfigProblem> problems, out ClientAuthOptions? auth,
        List<GitRewriteRule> rewriteRules, List<DirectConfigSection.CredentialRef> credentials)
    {
        auth = null;
        var settings = new Dictionary<string, SettingValue>(StringComparer.Ordinal);
        const string Key = "config";
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new ConfigProblem(Key, "flag --config", path, "cannot read the file: " + e.Message));
            return settings;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            problems.Add(new ConfigProblem(Key, $"file {path}:{e.Start.Line}", path, "not valid YAML: " + e.Message));
            return settings;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return settings;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add(new ConfigProblem(Key, $"file {path}", path, "the top level must be a mapping of settings"));
            return settings;
        }

        var authKey = new YamlScalarNode(AuthConfigSection.Key);
        if (root.Children.TryGetValue(authKey, out var authNode))
        {
            auth = AuthConfigSection.Read(authNode, path, problems);
            root.Children.Remove(authKey);
        }

        DirectConfigSection.Extract(root, path, problems, rewriteRules, credentials);
        ReadMapping(root, prefix: "", path, settings, problems);
        return settings;
    }

    private static void ReadMapping(YamlMappingNode mapping, string prefix, string file, Dictionary<string, SettingValue> settings, List<ConfigProblem> problems)
    {
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var name = prefix + ((keyNode as YamlScalarNode)?.Value ?? "?");
            var source = $"file {file}:{keyNode.Start.Line.ToString(CultureInfo.InvariantCulture)}";
            if (valueNode is YamlMappingNode nested && ServeSettingKeys.All.Any(k => k.StartsWith(name + ".", StringComparison.Ordinal)))
            {
                ReadMapping(nested, name + ".", file, settings, problems);
                continue;
            }

            if (!ServeSettingKeys.All.Contains(name))
            {
                problems.Add(new ConfigProblem(name, source, null, "unknown key; known keys: " + string.Join(", ", ServeSettingKeys.All.Append(AuthConfigSection.Key))));
                continue;
            }

            switch (valueNode)
            {
                case YamlScalarNode scalar:
                    settings[name] = new SettingValue(scalar.Value ?? "", source);
                    break;
                case YamlSequenceNode seq when ServeSettingKeys.ListValued.Contains(name) && seq.Children.All(c => c is YamlScalarNode):
                    settings[name] = new SettingValue(string.Join(',', seq.Children.Select(c => ((YamlScalarNode)c).Value)), source);
                    break;
                default:
                    problems.Add(new ConfigProblem(name, source, null, "must be a single value" + (ServeSettingKeys.ListValued.Contains(name) ? " or a list of values" : "")));
                    break;
            }
        }
    }
}
