namespace Moddock.Proxy.Sources.Git.Mirrors;

/// <summary>
/// The remote's refs as `git ls-remote` reported them: HEAD, refs/heads/* and refs/tags/*, with
/// annotated tags replaced by the commit they peel to (cmd/go codehost loadRefs does the same).
/// </summary>
internal sealed class RefSnapshot
{
    private readonly Dictionary<string, string> _refs;
    private readonly Lazy<ILookup<string, string>> _tagsByHash;

    private RefSnapshot(Dictionary<string, string> refs)
    {
        _refs = refs;
        _tagsByHash = new(() => _refs.Where(r => r.Key.StartsWith("refs/tags/", StringComparison.Ordinal))
            .ToLookup(r => r.Value, r => r.Key["refs/tags/".Length..], StringComparer.Ordinal));
    }

    public static RefSnapshot Empty { get; } = new([]);

    public IReadOnlyDictionary<string, string> Refs => _refs;

    public string? Head => _refs.GetValueOrDefault("HEAD");

    public static RefSnapshot Parse(string lsRemoteOutput)
    {
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lsRemoteOutput.Split('\n'))
        {
            var f = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 2 || !IsHash(f[0]))
            {
                continue;
            }

            if (f[1] == "HEAD" || f[1].StartsWith("refs/heads/", StringComparison.Ordinal) || f[1].StartsWith("refs/tags/", StringComparison.Ordinal))
            {
                refs[f[1]] = f[0];
            }
        }

        foreach (var peeled in refs.Keys.Where(k => k.EndsWith("^{}", StringComparison.Ordinal)).ToList())
        {
            refs[peeled[..^3]] = refs[peeled];
            refs.Remove(peeled);
        }

        return new RefSnapshot(refs);
    }

    public string Serialize() => string.Join('\n', _refs.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value + "\t" + r.Key)) + "\n";

    public IEnumerable<string> TagsWithPrefix(string prefix) =>
        _refs.Keys.Where(k => k.StartsWith("refs/tags/", StringComparison.Ordinal))
            .Select(k => k["refs/tags/".Length..])
            .Where(t => t.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    public string? Tag(string name) => _refs.GetValueOrDefault("refs/tags/" + name);

    public string? Branch(string name) => _refs.GetValueOrDefault("refs/heads/" + name);

    /// <summary>Tag names (without refs/tags/) whose peeled commit is hash, sorted like Go's sort.Strings.</summary>
    public IReadOnlyList<string> TagsAt(string hash) => _tagsByHash.Value[hash].Order(StringComparer.Ordinal).ToList();

    public bool Equivalent(RefSnapshot other) =>
        _refs.Count == other._refs.Count && _refs.All(r => other._refs.TryGetValue(r.Key, out var v) && v == r.Value);

    public static bool IsHash(string s) => s.Length == 40 && IsHex(s);

    public static bool IsHex(string s) => s.Length > 0 && s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
