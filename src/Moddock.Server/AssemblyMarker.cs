namespace Moddock.Server;

internal static class AssemblyMarker
{
}
