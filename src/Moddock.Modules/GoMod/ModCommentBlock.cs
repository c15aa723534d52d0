namespace Moddock.Modules.GoMod;

/// <summary>Comment lines not attached to any statement.</summary>
internal sealed class ModCommentBlock(ModPosition start) : ModExpr
{
    public override (ModPosition Start, ModPosition End) Span => (start, start);
}
