namespace Moddock.Sumdb;

internal static class AssemblyMarker
{
}
