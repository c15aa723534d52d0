namespace Moddock.Modules;

internal static class AssemblyMarker
{
}
