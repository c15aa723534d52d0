using System.Globalization;
using System.Text.RegularExpressions;
using Moddock.Proxy.Sources.Git;
using YamlDotNet.RepresentationModel;

namespace Moddock.Server.Configuration;

/// <summary>
/// Reads the list-valued keys of the `direct:` section (`rewrite`, `credentials`); its scalar keys are
/// ordinary settings (<see cref="ServeSettingKeys"/>). Credentials name an environment variable
/// (`token-env`) instead of holding the token, so secrets stay out of config files; the variable is
/// resolved by <see cref="ServeOptionsBuilder"/>, which reports an unset one by name, never by value.
/// </summary>
internal static partial class DirectConfigSection
{
    public const string Key = "direct";
    public const string RewriteKey = "rewrite";
    public const string CredentialsKey = "credentials";

    /// <summary>A credential as written in YAML: the token is still the name of a variable.</summary>
    public sealed record CredentialRef(string ItemKey, string Source, string Host, string? User, string TokenEnv);

    /// <summary>Removes `rewrite` and `credentials` from the `direct:` mapping and reads them.</summary>
    public static void Extract(YamlMappingNode root, string file, List<ConfigProblem> problems, List<GitRewriteRule> rules, List<CredentialRef> credentials)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(Key), out var node) || node is not YamlMappingNode direct)
        {
            return;
        }

        var rewriteKey = new YamlScalarNode(RewriteKey);
        if (direct.Children.TryGetValue(rewriteKey, out var rewrite))
        {
            rules.AddRange(Rewrite(rewrite, Key + "." + RewriteKey, file, problems));
            direct.Children.Remove(rewriteKey);
        }

        var credentialsKey = new YamlScalarNode(CredentialsKey);
        if (direct.Children.TryGetValue(credentialsKey, out var creds))
        {
            credentials.AddRange(Credentials(creds, Key + "." + CredentialsKey, file, problems));
            direct.Children.Remove(credentialsKey);
        }
    }

    private static List<GitRewriteRule> Rewrite(YamlNode node, string key, string file, List<ConfigProblem> problems)
    {
        var list = new List<GitRewriteRule>();
        if (node is not YamlSequenceNode seq)
        {
            problems.Add(new ConfigProblem(key, Source(file, node), null, "must be a list of {pattern, url}"));
            return list;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            var itemKey = $"{key}[{i.ToString(CultureInfo.InvariantCulture)}]";
            var fields = Fields(seq.Children[i], itemKey, ["pattern", "url"], file, problems);
            if (fields is null)
            {
                continue;
            }

            var ok = true;
            if (!fields.TryGetValue("pattern", out var pattern) || pattern.Value.Length == 0)
            {
                problems.Add(new ConfigProblem(itemKey + ".pattern", Source(file, seq.Children[i]), null, "is required (GOPRIVATE syntax, e.g. git.corp.example/*)"));
                ok = false;
            }
            else if (PatternProblem(pattern.Value) is { } why)
            {
                problems.Add(new ConfigProblem(itemKey + ".pattern", pattern.Source, pattern.Value, why));
                ok = false;
            }

            if (!fields.TryGetValue("url", out var url) || url.Value.Length == 0)
            {
                problems.Add(new ConfigProblem(itemKey + ".url", Source(file, seq.Children[i]), null, "is required, e.g. ssh://git@git.corp.example/{path}.git"));
                ok = false;
            }
            else if (TemplateProblem(url.Value) is { } why)
            {
                problems.Add(new ConfigProblem(itemKey + ".url", url.Source, url.Value, why));
                ok = false;
            }

            if (ok)
            {
                list.Add(new GitRewriteRule(pattern!.Value, url!.Value));
            }
        }

        return list;
    }

    private static List<CredentialRef> Credentials(YamlNode node, string key, string file, List<ConfigProblem> problems)
    {
        var list = new List<CredentialRef>();
        if (node is not YamlSequenceNode seq)
        {
            problems.Add(new ConfigProblem(key, Source(file, node), null, "must be a list of {host, user, token-env}"));
            return list;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            var itemKey = $"{key}[{i.ToString(CultureInfo.InvariantCulture)}]";
            var fields = Fields(seq.Children[i], itemKey, ["host", "user", "token-env"], file, problems);
            if (fields is null)
            {
                continue;
            }

            var ok = true;
            if (!fields.TryGetValue("host", out var host) || host.Value.Length == 0)
            {
                problems.Add(new ConfigProblem(itemKey + ".host", Source(file, seq.Children[i]), null, "is required (a host name such as git.corp.example)"));
                ok = false;
            }
            else if (host.Value.Contains("://", StringComparison.Ordinal) || host.Value.Contains('/', StringComparison.Ordinal) || host.Value.Any(char.IsWhiteSpace))
            {
                problems.Add(new ConfigProblem(itemKey + ".host", host.Source, host.Value, "must be a bare host name (optionally host:port), without scheme or path"));
                ok = false;
            }

            if (!fields.TryGetValue("token-env", out var tokenEnv) || tokenEnv.Value.Length == 0)
            {
                problems.Add(new ConfigProblem(itemKey + ".token-env", Source(file, seq.Children[i]), null,
                    "is required: the name of the environment variable holding the token (tokens are never written in the file)"));
                ok = false;
            }
            else if (!EnvName().IsMatch(tokenEnv.Value))
            {
                // Not echoed: someone may have pasted the token itself here.
                problems.Add(new ConfigProblem(itemKey + ".token-env", tokenEnv.Source, "(hidden)",
                    "must be the NAME of an environment variable (letters, digits, '_'), not the token itself"));
                ok = false;
            }

            fields.TryGetValue("user", out var user);
            if (ok)
            {
                list.Add(new CredentialRef(itemKey, tokenEnv!.Source, host!.Value, user is { Value.Length: > 0 } ? user.Value : null, tokenEnv.Value));
            }
        }

        return list;
    }

    /// <summary>GOPRIVATE-style glob: non-empty '/'-separated elements, no scheme, no spaces, valid brackets.</summary>
    internal static string? PatternProblem(string pattern)
    {
        if (pattern.Contains("://", StringComparison.Ordinal))
        {
            return "must be a module path pattern without a scheme, e.g. git.corp.example/*";
        }

        if (pattern.Any(c => char.IsWhiteSpace(c) || c == ',' || char.IsControl(c)))
        {
            return "must be one pattern without spaces or commas";
        }

        if (pattern.TrimEnd('/').Split('/').Any(e => e.Length == 0))
        {
            return "has an empty path element";
        }

        var depth = 0;
        foreach (var c in pattern)
        {
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            if (depth is < 0 or > 1)
            {
                return "has unbalanced [ ] brackets";
            }
        }

        return depth == 0 ? null : "has unbalanced [ ] brackets";
    }

    /// <summary>An absolute URL (scheme://…, or mod+https:// for a module proxy) using only {root}, {host}, {path}.</summary>
    internal static string? TemplateProblem(string template)
    {
        var scheme = Scheme().Match(template);
        if (!scheme.Success)
        {
            return "must start with a scheme, e.g. https://, ssh://, file:// (or mod+https:// for a module proxy)";
        }

        foreach (Match m in Placeholder().Matches(template))
        {
            if (m.Value is not ("{root}" or "{host}" or "{path}"))
            {
                return $"unknown placeholder {m.Value}; known: {{root}}, {{host}}, {{path}}";
            }
        }

        if (template.Any(char.IsWhiteSpace))
        {
            return "must not contain spaces";
        }

        return null;
    }

    private sealed record Field(string Value, string Source);

    private static Dictionary<string, Field>? Fields(YamlNode node, string itemKey, string[] known, string file, List<ConfigProblem> problems)
    {
        if (node is not YamlMappingNode item)
        {
            problems.Add(new ConfigProblem(itemKey, Source(file, node), null, "must be a mapping {" + string.Join(", ", known) + "}"));
            return null;
        }

        var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var (k, v) in item.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "?";
            if (!known.Contains(name))
            {
                problems.Add(new ConfigProblem(itemKey + "." + name, Source(file, k), null, "unknown key; known keys: " + string.Join(", ", known)));
            }
            else if (v is YamlScalarNode s)
            {
                fields[name] = new Field((s.Value ?? "").Trim(), Source(file, v));
            }
            else
            {
                problems.Add(new ConfigProblem(itemKey + "." + name, Source(file, v), null, "must be a single value"));
            }
        }

        return fields;
    }

    private static string Source(string file, YamlNode node) =>
        $"file {file}:{node.Start.Line.ToString(CultureInfo.InvariantCulture)}";

    [GeneratedRegex(@"^(mod\+)?[A-Za-z][A-Za-z0-9+.-]*://", RegexOptions.CultureInvariant)]
    private static partial Regex Scheme();

    [GeneratedRegex(@"\{[^{}]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvName();
}
