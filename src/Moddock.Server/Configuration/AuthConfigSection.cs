using System.Globalization;
using Moddock.Server.Auth;
using YamlDotNet.RepresentationModel;

namespace Moddock.Server.Configuration;

/// <summary>
/// Reads the `auth:` section of the YAML file into <see cref="ClientAuthOptions"/>. Lists of users,
/// tokens and rules only exist in YAML (no flags or environment), so secrets never reach argv or
/// process listings. Problems name the key (auth.tokens[0].hash) but never echo a hash: an operator
/// may have pasted a plain secret there by mistake.
/// </summary>
internal static class AuthConfigSection
{
    public const string Key = "auth";
    private const string Hidden = "(hidden)";

    public static ClientAuthOptions? Read(YamlNode node, string file, List<ConfigProblem> problems)
    {
        var before = problems.Count;
        if (node is not YamlMappingNode section)
        {
            problems.Add(new ConfigProblem(Key, Source(file, node), null, "must be a mapping with realm, require, users, tokens, rules"));
            return null;
        }

        var realm = "moddock";
        var require = false;
        var users = new List<ClientCredential>();
        var tokens = new List<ClientCredential>();
        var rules = new List<ClientAccessRule>();
        foreach (var (k, v) in section.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "?";
            var key = Key + "." + name;
            switch (name)
            {
                case "realm":
                    if (Scalar(v, key, file, problems) is { } r)
                    {
                        // The realm is quoted into WWW-Authenticate: a quote or control character would break the header.
                        if (r.Length == 0 || r.Any(c => c == '"' || c == '\\' || char.IsControl(c)))
                        {
                            problems.Add(new ConfigProblem(key, Source(file, v), r, "must be non-empty text without quotes, backslashes or control characters"));
                        }
                        else
                        {
                            realm = r;
                        }
                    }

                    break;
                case "require":
                    require = Bool(v, key, file, problems) ?? false;
                    break;
                case "users":
                    users.AddRange(Credentials(v, key, "password", file, problems));
                    break;
                case "tokens":
                    tokens.AddRange(Credentials(v, key, "token", file, problems));
                    break;
                case "rules":
                    rules.AddRange(Rules(v, key, file, problems));
                    break;
                default:
                    problems.Add(new ConfigProblem(key, Source(file, k), null, "unknown key; known keys in auth: realm, require, users, tokens, rules"));
                    break;
            }
        }

        var options = new ClientAuthOptions { Realm = realm, RequireByDefault = require, Users = users, Tokens = tokens, Rules = rules };

        // The middleware's own validator has the last word, so the YAML path and UseModdockClientAuth agree.
        foreach (var message in ClientAuthExtensions.Validate(options))
        {
            problems.Add(new ConfigProblem(Key, Source(file, section), null, message.StartsWith("auth: ", StringComparison.Ordinal) ? message["auth: ".Length..] : message));
        }

        var names = users.Concat(tokens).Select(c => c.Name).Where(n => n.Length > 0).ToList();
        foreach (var dup in names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(new ConfigProblem(Key, Source(file, section), dup.Key, "a user or token name is used twice; rules and logs name them"));
        }

        if ((require || rules.Any(r => r.RequireAuthentication)) && users.Count == 0 && tokens.Count == 0)
        {
            problems.Add(new ConfigProblem(Key, Source(file, section), null, "authentication is required somewhere but no users or tokens are configured, so nobody could get in"));
        }

        return problems.Count == before ? options : null;
    }

    private static List<ClientCredential> Credentials(YamlNode node, string key, string what, string file, List<ConfigProblem> problems)
    {
        var list = new List<ClientCredential>();
        if (node is not YamlSequenceNode seq)
        {
            problems.Add(new ConfigProblem(key, Source(file, node), null, "must be a list of {name, hash}"));
            return list;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            var itemKey = $"{key}[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (seq.Children[i] is not YamlMappingNode item)
            {
                problems.Add(new ConfigProblem(itemKey, Source(file, seq.Children[i]), null, "must be a mapping {name, hash}"));
                continue;
            }

            string? name = null;
            string? hash = null;
            foreach (var (k, v) in item.Children)
            {
                var field = (k as YamlScalarNode)?.Value ?? "?";
                switch (field)
                {
                    case "name":
                        name = Scalar(v, itemKey + ".name", file, problems);
                        break;
                    case "hash":
                        hash = v is YamlScalarNode s ? s.Value ?? "" : null;
                        if (hash is null)
                        {
                            problems.Add(new ConfigProblem(itemKey + ".hash", Source(file, v), Hidden, "must be a single value"));
                        }
                        else if (!ClientSecretHash.IsWellFormed(hash))
                        {
                            problems.Add(new ConfigProblem(itemKey + ".hash", Source(file, v), Hidden,
                                $"must look like pbkdf2-sha256$ITERATIONS$SALT$HASH; make one with `moddock auth hash` (store the hash of the {what}, never the {what})"));
                        }

                        break;
                    default:
                        problems.Add(new ConfigProblem(itemKey + "." + field, Source(file, k), null, "unknown key; known keys: name, hash"));
                        break;
                }
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add(new ConfigProblem(itemKey + ".name", Source(file, item), name, "is required"));
            }

            if (hash is null && !item.Children.Keys.Any(k => (k as YamlScalarNode)?.Value == "hash"))
            {
                problems.Add(new ConfigProblem(itemKey + ".hash", Source(file, item), null, "is required"));
            }

            // Only complete, well-formed entries go on, so the shared validator does not report them twice.
            if (!string.IsNullOrWhiteSpace(name) && hash is not null && ClientSecretHash.IsWellFormed(hash))
            {
                list.Add(new ClientCredential(name, hash));
            }
        }

        return list;
    }

    private static List<ClientAccessRule> Rules(YamlNode node, string key, string file, List<ConfigProblem> problems)
    {
        var list = new List<ClientAccessRule>();
        if (node is not YamlSequenceNode seq)
        {
            problems.Add(new ConfigProblem(key, Source(file, node), null, "must be a list of {pattern, require, allow}"));
            return list;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            var itemKey = $"{key}[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (seq.Children[i] is not YamlMappingNode item)
            {
                problems.Add(new ConfigProblem(itemKey, Source(file, seq.Children[i]), null, "must be a mapping {pattern, require, allow}"));
                continue;
            }

            string? pattern = null;
            var require = true;
            List<string>? allow = null;
            foreach (var (k, v) in item.Children)
            {
                var field = (k as YamlScalarNode)?.Value ?? "?";
                switch (field)
                {
                    case "pattern":
                        pattern = Scalar(v, itemKey + ".pattern", file, problems);
                        break;
                    case "require":
                        require = Bool(v, itemKey + ".require", file, problems) ?? true;
                        break;
                    case "allow":
                        allow = v switch
                        {
                            YamlSequenceNode names when names.Children.All(c => c is YamlScalarNode) => names.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList(),
                            YamlScalarNode one => [.. (one.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                            _ => null,
                        };
                        if (allow is null)
                        {
                            problems.Add(new ConfigProblem(itemKey + ".allow", Source(file, v), null, "must be a list of user or token names"));
                        }

                        break;
                    default:
                        problems.Add(new ConfigProblem(itemKey + "." + field, Source(file, k), null, "unknown key; known keys: pattern, require, allow"));
                        break;
                }
            }

            if (string.IsNullOrWhiteSpace(pattern))
            {
                problems.Add(new ConfigProblem(itemKey + ".pattern", Source(file, item), pattern, "is required (GOPRIVATE syntax, e.g. git.corp.example/*)"));
                continue;
            }

            list.Add(new ClientAccessRule(pattern, require, allow));
        }

        return list;
    }

    private static string? Scalar(YamlNode node, string key, string file, List<ConfigProblem> problems)
    {
        if (node is YamlScalarNode s)
        {
            return (s.Value ?? "").Trim();
        }

        problems.Add(new ConfigProblem(key, Source(file, node), null, "must be a single value"));
        return null;
    }

    private static bool? Bool(YamlNode node, string key, string file, List<ConfigProblem> problems)
    {
        var text = Scalar(node, key, file, problems);
        switch (text?.ToUpperInvariant())
        {
            case null:
                return null;
            case "TRUE" or "YES" or "ON" or "1":
                return true;
            case "FALSE" or "NO" or "OFF" or "0":
                return false;
            default:
                problems.Add(new ConfigProblem(key, Source(file, node), text, "must be true or false"));
                return null;
        }
    }

    private static string Source(string file, YamlNode node) =>
        $"file {file}:{node.Start.Line.ToString(CultureInfo.InvariantCulture)}";
}
