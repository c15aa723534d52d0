namespace Moddock.Modules.GoMod;

/// <summary>A "//" comment; Token has no trailing newline and is empty for the blank-line markers inside blocks.</summary>
internal readonly record struct ModComment(ModPosition Start, string Token, bool Suffix);
