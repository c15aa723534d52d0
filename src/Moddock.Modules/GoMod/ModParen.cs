namespace Moddock.Modules.GoMod;

/// <summary>The '(' or ')' of a block, which can carry comments of its own.</summary>
internal sealed class ModParen : ModExpr
{
    public ModPosition Pos { get; set; }

    public override (ModPosition Start, ModPosition End) Span => (Pos, Pos with { LineRune = Pos.LineRune + 1, Byte = Pos.Byte + 1 });
}
