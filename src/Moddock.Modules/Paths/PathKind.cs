namespace Moddock.Modules.Paths;

/// <summary>Which of x/mod's three path grammars applies (module.pathKind).</summary>
internal enum PathKind
{
    Module,
    Import,
    File,
}
