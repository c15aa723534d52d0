namespace Moddock.Modules.Zip;

/// <summary>A file left out of a module zip or refused, with Go's reason text (zip.FileError).</summary>
public sealed record ZipFileIssue(string Path, string Reason)
{
    public override string ToString() => Path + ": " + Reason;
}
