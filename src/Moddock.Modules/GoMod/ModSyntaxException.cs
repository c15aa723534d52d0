namespace Moddock.Modules.GoMod;

/// <summary>Stops the go.mod parser at its first syntax error, as modfile's panic does; never leaves GoModFile.TryParse.</summary>
internal sealed class ModSyntaxException(string message) : Exception(message)
{
    public ModSyntaxException()
        : this("go.mod syntax error")
    {
    }

    public ModSyntaxException(string message, Exception inner)
        : this(message + ": " + inner.Message)
    {
    }
}
