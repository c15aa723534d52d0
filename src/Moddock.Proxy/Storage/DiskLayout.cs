using Moddock.Modules.Zip;

namespace Moddock.Proxy.Storage;

/// <summary>
/// Maps store keys to files under the root. Every path is built from typed, validated identity, checked
/// segment by segment, and finally checked to stay under the root (defence in depth against traversal).
/// </summary>
internal sealed class DiskLayout
{
    /// <summary>Temp files start with this; no escaped module path element or version can (CheckPath forbids a leading dot).</summary>
    internal const string TempPrefix = ".tmp-";

    /// <summary>NAME_MAX of Linux file systems (ext4, xfs, btrfs, tmpfs) and of macOS's APFS, in bytes.</summary>
    private const int MaxNameLength = 255;

    private readonly string _root;
    private readonly string _rootWithSeparator;

    public DiskLayout(string root)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _rootWithSeparator = _root + Path.DirectorySeparatorChar;
    }

    public string Root => _root;

    public string FileFor(StoreKey key)
    {
        var segments = new List<string>(key.Path.Escaped.Split('/'));
        switch (key.Kind)
        {
            case ArtifactKind.List:
                segments.Add("@v");
                segments.Add("list");
                break;
            case ArtifactKind.Latest:
                segments.Add("@latest");
                break;
            default:
                segments.Add("@v");
                segments.Add(key.Version!.Value.Escaped + "." + key.Kind.ToString().ToLowerInvariant());
                break;
        }

        return Resolve(segments);
    }

    /// <summary>
    /// Why <paramref name="key"/> has no file name here, or null. A valid version can escape to more than a file name
    /// holds (each upper-case letter doubles); requests naming one are refused at the edge, but a query (@latest, a
    /// branch) may resolve to one. Not a bug but a limit of the layout, which the store reports as a storage failure.
    /// </summary>
    public static string? NameTooLong(StoreKey key)
    {
        var longest = key.Path.Escaped.Split('/').Max(e => e.Length);
        var name = key.Version is { } v ? v.Escaped + "." + key.Kind.ToString().ToLowerInvariant() : "";
        return Math.Max(longest, name.Length) > MaxNameLength
            ? $"a file name of {key} would be {Math.Max(longest, name.Length)} bytes long, over the {MaxNameLength}-byte limit of a file name"
            : null;
    }

    public string VersionDirectory(Modules.ModulePath path)
    {
        var segments = new List<string>(path.Escaped.Split('/')) { "@v" };
        return Resolve(segments);
    }

    /// <summary>
    /// The first entry on the way from the root down to <paramref name="full"/> (itself included) that is a symbolic
    /// link, or null. Names are checked to stay under the root, but a link planted inside the storage would still lead
    /// a read or a write outside it; the root itself may be a link (an operator's choice of disk).
    /// </summary>
    public string? FirstLinkBelowRoot(string full)
    {
        if (!full.StartsWith(_rootWithSeparator, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"storage path escapes the root: {full}");
        }

        // One lstat per component (not a readlink and then a stat): it says both whether the entry is a link and
        // whether there is a directory to go on into.
        for (var at = _rootWithSeparator.Length; ;)
        {
            var slash = full.IndexOf(Path.DirectorySeparatorChar, at);
            var entry = slash < 0 ? full : full[..slash];
            var kind = FileKind.OfPath(entry);
            if (kind == FileKindValue.Symlink)
            {
                return entry;
            }

            if (slash < 0 || kind != FileKindValue.Directory)
            {
                return null; // nothing deeper exists, so nothing deeper is a link
            }

            at = slash + 1;
        }
    }

    /// <summary>A temp name in the same directory as <paramref name="finalPath"/>, so the rename is atomic.</summary>
    public static string TempFor(string finalPath)
    {
        var name = Path.GetFileName(finalPath);
        if (name.Length > 180)
        {
            name = name[^180..];
        }

        return Path.Combine(Path.GetDirectoryName(finalPath)!, TempPrefix + Guid.NewGuid().ToString("N")[..16] + "-" + name);
    }

    private string Resolve(List<string> segments)
    {
        foreach (var s in segments)
        {
            if (!IsSafeSegment(s))
            {
                throw new InvalidOperationException($"refusing unsafe storage path segment '{s}'");
            }

        }

        var full = Path.GetFullPath(Path.Combine(_root, Path.Combine([.. segments])));
        if (!full.StartsWith(_rootWithSeparator, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"storage path escapes the root: {full}");
        }

        return full;
    }

    // Escaped module paths and versions only ever hold these characters (CheckPath + escaping + semver + '+incompatible').
    private static bool IsSafeSegment(string s)
    {
        if (s.Length == 0 || s.Length > MaxNameLength || s is "." or ".." || s.StartsWith('.'))
        {
            return false;
        }

        foreach (var c in s)
        {
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~' or '!' or '+' or '@';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
