namespace Moddock.Modules.Zip;

/// <summary>
/// zip.CheckedFiles: which files go in, which are left out and why, which are invalid, and whether
/// the whole set is too large. <see cref="Error"/> mirrors CheckedFiles.Err.
/// </summary>
public sealed record ZipCheckReport(IReadOnlyList<string> Valid, IReadOnlyList<ZipFileIssue> Omitted, IReadOnlyList<ZipFileIssue> Invalid, ModuleError? SizeError)
{
    /// <summary>The size error if any, else every invalid file (one per line, like FileErrorList), else null.</summary>
    public ModuleError? Error
    {
        get
        {
            if (SizeError is not null)
            {
                return SizeError;
            }

            if (Invalid.Count == 0)
            {
                return null;
            }

            var onlySizes = Invalid.All(i => i.Reason.Contains("too large", StringComparison.Ordinal));
            return new ModuleError(onlySizes ? ModuleErrorKind.ZipTooLarge : ModuleErrorKind.ZipInvalid, string.Join('\n', Invalid));
        }
    }
}
