namespace Moddock.Modules.Tests.Zip;

/// <summary>The Go source trees Debian installs (golang-golang-x-mod-dev, golang-go), whichever Go version is present.</summary>
internal static class DebianGoTrees
{
    public static IReadOnlyList<string> SourceRoots()
    {
        var roots = new List<string>();
        if (Directory.Exists("/usr/share/gocode/src"))
        {
            roots.Add("/usr/share/gocode/src");
        }

        if (Directory.Exists("/usr/share"))
        {
            roots.AddRange(Directory.GetDirectories("/usr/share", "go-*")
                .Select(d => Path.Combine(d, "src"))
                .Where(Directory.Exists)
                .Order(StringComparer.Ordinal));
        }

        return roots;
    }
}
