namespace Moddock.Modules.GoMod;

/// <summary>A factored block such as <c>retract ( ... )</c>: the verb tokens, then one line per entry.</summary>
internal sealed class ModLineBlock(ModPosition start, List<byte[]> tokens) : ModExpr
{
    public ModPosition Start { get; } = start;

    public List<byte[]> Tokens { get; } = tokens;

    public ModParen LParen { get; } = new();

    public List<ModLine> Lines { get; } = [];

    public ModParen RParen { get; } = new();

    public override (ModPosition Start, ModPosition End) Span => (Start, RParen.Span.End);
}
