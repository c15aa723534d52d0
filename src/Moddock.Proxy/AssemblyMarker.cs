namespace Moddock.Proxy;

internal static class AssemblyMarker
{
}
