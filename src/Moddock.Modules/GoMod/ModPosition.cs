namespace Moddock.Modules.GoMod;

/// <summary>modfile.Position: 1-based line, 1-based rune in the line, 0-based byte offset.</summary>
internal readonly record struct ModPosition(int Line, int LineRune, int Byte)
{
    /// <summary>The "go.mod:L: " or "go.mod:L:C: " prefix of modfile.Error (the column only when it is past 1).</summary>
    public string Prefix(string fileName) =>
        LineRune > 1 ? $"{fileName}:{Line}:{LineRune}: " : Line > 0 ? $"{fileName}:{Line}: " : $"{fileName}: ";
}
