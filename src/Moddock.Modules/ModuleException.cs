namespace Moddock.Modules;

/// <summary>Thrown by the throwing conveniences (<c>Parse</c>); the <c>Try*</c> members return the error instead.</summary>
public sealed class ModuleException(ModuleError error) : Exception(error.Message)
{
    public ModuleError Error { get; } = error;
}
