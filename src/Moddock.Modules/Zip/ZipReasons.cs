using Moddock.Modules.Text;

namespace Moddock.Modules.Zip;

/// <summary>Go's exact reason texts (x/mod/zip), so reports and errors read the same as the go command's.</summary>
internal static class ZipReasons
{
    public const string PathNotClean = "file path is not clean";
    public const string PathNotRelative = "file path is not relative";
    public const string GoModCase = "go.mod files must have lowercase names";
    public const string Vcs = "directory is a version control repository";
    public const string Vendored = "file is in vendor directory";
    public const string SubmoduleFile = "file is in another module";
    public const string SubmoduleDir = "directory is in another module";
    public const string HgArchivalTxt = "file is inserted by 'hg archive' and is always omitted";
    public const string Symlink = "file is a symbolic link";
    public const string NotRegular = "not a regular file";
    public const string GoModNotInRoot = "go.mod file not in module root directory";

    public static readonly string GoModSize = $"go.mod file too large (max size is {ZipLimits.MaxGoMod} bytes)";
    public static readonly string LicenseSize = $"LICENSE file too large (max size is {ZipLimits.MaxLicense} bytes)";
    public static readonly string TreeTooLarge = $"module source tree too large (max size is {ZipLimits.MaxZipFile} bytes)";
    public static readonly string ContentsTooLarge = $"total uncompressed size of module contents too large (max size is {ZipLimits.MaxZipFile} bytes)";

    public static string ZipFileTooLarge(long size) => $"module zip file is too large ({size} bytes; limit is {ZipLimits.MaxZipFile} bytes)";

    public static string NoPrefix(string prefix) => $"path does not have prefix {GoQuote.Quote(prefix)}";

    public static string CaseCollision(string a, string b) => $"case-insensitive file name collision: {GoQuote.Quote(a)} and {GoQuote.Quote(b)}";

    public static string FileAndDirectory(string p) => $"entry {GoQuote.Quote(p)} is both a file and a directory";

    public static string Duplicate(string p) => $"multiple entries for file {GoQuote.Quote(p)}";

    public static string LargerThanDeclared(string p) => $"file {GoQuote.Quote(p)} is larger than declared size";

    public static string NotCanonical(string v, string canonical) => $"version {GoQuote.Quote(v)} is not canonical (should be {GoQuote.Quote(canonical)})";
}
