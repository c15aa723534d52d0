namespace Moddock.Modules.Zip;

/// <summary>
/// Finds names equal under case folding, and names used both as a file and a directory
/// (x/mod zip collisionChecker). Every parent directory of a checked path is checked as a directory.
/// </summary>
internal sealed class CollisionChecker
{
    private readonly Dictionary<string, (string Path, bool IsDir)> _seen = new(StringComparer.Ordinal);

    /// <summary>Returns Go's reason text for a collision, or null.</summary>
    public string? Check(string p, bool isDir)
    {
        while (true)
        {
            var fold = CaseFold.FoldKey(p);
            if (_seen.TryGetValue(fold, out var other))
            {
                if (p != other.Path)
                {
                    return ZipReasons.CaseCollision(other.Path, p);
                }

                if (isDir != other.IsDir)
                {
                    return ZipReasons.FileAndDirectory(p);
                }

                if (!isDir)
                {
                    return ZipReasons.Duplicate(p);
                }

                // The same directory is seen again through another file: not an error.
            }
            else
            {
                _seen[fold] = (p, isDir);
            }

            var parent = GoPath.Dir(p);
            if (parent == ".")
            {
                return null;
            }

            p = parent;
            isDir = true;
        }
    }
}
