namespace Moddock.Sumdb.Client;

/// <summary>
/// Maps a relative cache name ("NAME/tile/8/0/001") to a file below a root, refusing anything that could
/// leave it: empty, "." or ".." segments, backslashes, NUL, rooted names. The result is also re-checked
/// to be inside the root after normalisation.
/// </summary>
internal static class SafeCachePath
{
    public static bool TryResolve(string root, string relative, out string fullPath)
    {
        fullPath = "";
        if (relative.Length == 0 || relative.Length > 1024 || relative.StartsWith('/') || relative.Contains('\\', StringComparison.Ordinal)
            || relative.Contains('\0', StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return false;
        }

        foreach (var seg in relative.Split('/'))
        {
            if (seg.Length == 0 || seg == "." || seg == ".." || seg.Length > 255)
            {
                return false;
            }
        }

        var rootFull = Path.GetFullPath(root);
        var candidate = Path.GetFullPath(Path.Combine(rootFull, relative));
        if (!candidate.StartsWith(rootFull.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return false;
        }

        fullPath = candidate;
        return true;
    }
}
