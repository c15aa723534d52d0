namespace Moddock.Doctor;

internal static class AssemblyMarker
{
}
