namespace Moddock.Modules;

/// <summary>What kind of input a <see cref="ModuleError"/> rejects.</summary>
public enum ModuleErrorKind
{
    InvalidPath,
    InvalidVersion,
    InvalidEscape,
    InvalidFilePath,
    ZipInvalid,
    ZipTooLarge,
    GoModInvalid,
    Other,
}
