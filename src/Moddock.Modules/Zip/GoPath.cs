using System.Text;

namespace Moddock.Modules.Zip;

/// <summary>The lexical parts of Go's "path" package that the zip rules rely on (slash-separated, never the OS).</summary>
internal static class GoPath
{
    /// <summary>path.Clean: the shortest equivalent path, by purely lexical processing.</summary>
    public static string Clean(string p)
    {
        if (p.Length == 0)
        {
            return ".";
        }

        var rooted = p[0] == '/';
        var parts = new List<string>();
        foreach (var part in p.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add("..");
                }

                continue;
            }

            parts.Add(part);
        }

        var sb = new StringBuilder(p.Length);
        if (rooted)
        {
            sb.Append('/');
        }

        sb.AppendJoin('/', parts);
        return sb.Length == 0 ? "." : sb.ToString();
    }

    public static bool IsAbs(string p) => p.StartsWith('/');

    /// <summary>path.Split: everything up to and including the last slash, and the rest.</summary>
    public static (string Dir, string File) Split(string p)
    {
        var i = p.LastIndexOf('/');
        return (p[..(i + 1)], p[(i + 1)..]);
    }

    /// <summary>path.Dir of a clean relative path: "." for a top-level name.</summary>
    public static string Dir(string p)
    {
        var i = p.LastIndexOf('/');
        return i < 0 ? "." : Clean(p[..i]);
    }

    /// <summary>path.Base of a clean relative path.</summary>
    public static string Base(string p)
    {
        var trimmed = p.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return p.Length == 0 ? "." : "/";
        }

        return trimmed[(trimmed.LastIndexOf('/') + 1)..];
    }
}
