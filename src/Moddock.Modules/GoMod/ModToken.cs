namespace Moddock.Modules.GoMod;

/// <summary>A go.mod token: its kind (a ModLexer constant or the punctuation character), span and raw bytes.</summary>
internal readonly record struct ModToken(int Kind, ModPosition Pos, ModPosition EndPos, byte[] Text);
