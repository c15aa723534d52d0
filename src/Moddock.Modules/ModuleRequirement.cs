namespace Moddock.Modules;

/// <summary>
/// A go.mod <c>require</c> line as modfile.Require holds it: the path (unquoted), the version canonicalized as
/// lax parsing does, and whether the line carries an <c>// indirect</c> comment (modfile's isIndirect).
/// </summary>
public sealed record ModuleRequirement(string Path, string Version, bool Indirect);
