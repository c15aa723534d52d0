namespace Moddock.Modules.GoMod;

/// <summary>A node of the go.mod syntax tree (modfile.Expr) with the comments attached to it.</summary>
internal abstract class ModExpr
{
    /// <summary>Whole-line comments before the node.</summary>
    public List<ModComment> Before { get; set; } = [];

    /// <summary>End-of-line comments after the node.</summary>
    public List<ModComment> Suffix { get; } = [];

    public abstract (ModPosition Start, ModPosition End) Span { get; }
}
