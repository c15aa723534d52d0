using Moddock.Modules.Patterns;
using Moddock.Modules.Text;

namespace Moddock.Modules;

/// <summary>
/// A GOPRIVATE / GONOPROXY / GONOSUMDB / GOINSECURE list: comma-separated path.Match globs, each matched
/// against the leading path elements of a module path (module.MatchPrefixPatterns). A glob with k slashes
/// is matched against the first k+1 elements; with fewer elements it does not match. Empty items and a
/// trailing '/' are ignored, and a malformed glob simply never matches, as in Go.
/// </summary>
public sealed class PathPatterns
{
    private readonly (byte[] Glob, int Slashes)[] _globs;

    private PathPatterns(string[] patterns)
    {
        Patterns = patterns;
        _globs = new (byte[], int)[patterns.Length];
        for (var i = 0; i < patterns.Length; i++)
        {
            _globs[i] = (GoBytes.Encode(patterns[i]), patterns[i].AsSpan().Count('/'));
        }
    }

    public static PathPatterns Empty { get; } = new([]);

    public bool IsEmpty => Patterns.Count == 0;

    /// <summary>The non-empty globs, trailing slash removed, in list order.</summary>
    public IReadOnlyList<string> Patterns { get; }

    public static PathPatterns Parse(string commaSeparated)
    {
        ArgumentNullException.ThrowIfNull(commaSeparated);
        var list = new List<string>();
        foreach (var item in commaSeparated.Split(','))
        {
            var glob = item.EndsWith('/') ? item[..^1] : item;
            if (glob.Length > 0)
            {
                list.Add(glob);
            }
        }

        return list.Count == 0 ? Empty : new PathPatterns([.. list]);
    }

    public bool Matches(string modulePath)
    {
        ArgumentNullException.ThrowIfNull(modulePath);
        if (_globs.Length == 0)
        {
            return false;
        }

        var target = GoBytes.Encode(modulePath);
        foreach (var (glob, slashes) in _globs)
        {
            // The prefix of target that ends just before its (slashes+1)'th slash.
            var n = slashes;
            var prefixLength = target.Length;
            for (var i = 0; i < target.Length; i++)
            {
                if (target[i] == '/')
                {
                    if (n == 0)
                    {
                        prefixLength = i;
                        break;
                    }

                    n--;
                }
            }

            if (n > 0)
            {
                continue; // fewer elements than the glob
            }

            if (GoPathMatch.Match(glob, target.AsSpan(0, prefixLength)) == true)
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => string.Join(',', Patterns);
}
