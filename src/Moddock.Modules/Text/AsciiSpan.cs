namespace Moddock.Modules.Text;

/// <summary>
/// Small scans over spans. Hand-written because MemoryExtensions.ContainsAnyExceptInRange allocates on every call
/// in .NET 10, and these run on every version comparison the proxy makes.
/// </summary>
internal static class AsciiSpan
{
    /// <summary>True for "" too, like Go's isNum.</summary>
    public static bool IsAllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsAll(ReadOnlySpan<char> s, char c)
    {
        foreach (var x in s)
        {
            if (x != c)
            {
                return false;
            }
        }

        return true;
    }
}
