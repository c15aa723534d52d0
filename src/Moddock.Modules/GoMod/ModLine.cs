namespace Moddock.Modules.GoMod;

/// <summary>One statement line: its raw tokens (quotes included), top-level or inside a block.</summary>
internal sealed class ModLine(ModPosition start, List<byte[]> tokens, ModPosition end, bool inBlock) : ModExpr
{
    public ModPosition Start { get; } = start;

    public List<byte[]> Tokens { get; } = tokens;

    public bool InBlock { get; } = inBlock;

    public override (ModPosition Start, ModPosition End) Span => (Start, end);
}
