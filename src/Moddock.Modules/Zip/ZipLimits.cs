namespace Moddock.Modules.Zip;

/// <summary>Size limits of golang.org/x/mod/zip, enforced by every go command.</summary>
internal static class ZipLimits
{
    /// <summary>MaxZipFile: the zip file and the sum of its uncompressed sizes, 500 MiB each.</summary>
    public const long MaxZipFile = 500L << 20;

    /// <summary>MaxGoMod: the root go.mod, 16 MiB.</summary>
    public const long MaxGoMod = 16L << 20;

    /// <summary>MaxLICENSE: the root LICENSE, 16 MiB.</summary>
    public const long MaxLicense = 16L << 20;
}
