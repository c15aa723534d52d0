namespace Moddock.Modules;

/// <summary>
/// An expected failure of the module domain, returned as a value. <see cref="Message"/> uses the
/// wording of golang.org/x/mod (for example <c>malformed module path "x": missing dot in first path element</c>)
/// and so names the offending path element, version part or file.
/// </summary>
public sealed record ModuleError(ModuleErrorKind Kind, string Message)
{
    public override string ToString() => Message;
}
