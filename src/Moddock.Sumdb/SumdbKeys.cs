using Moddock.Sumdb.Note;

namespace Moddock.Sumdb;

/// <summary>Key generation for `moddock sumdb keygen` (note.GenerateKey: Ed25519, Go's key text formats).</summary>
public static class SumdbKeys
{
    /// <summary>True when <paramref name="name"/> can name a key and a database (no spaces or '+', host[/path]).</summary>
    public static bool IsValidName(string name, out string? error)
    {
        if (!NoteKeys.IsValidName(name))
        {
            error = $"invalid key name {name}: must be non-empty, without spaces or '+'";
            return false;
        }

        var (_, vkey) = NoteKeys.Generate(name);
        if (!Client.GoSumdbSetting.TryParse(vkey, out _, out var e))
        {
            error = $"invalid database name {name}: {e}";
            return false;
        }

        error = null;
        return true;
    }

    public static (string SignerKey, string VerifierKey) Generate(string name) => NoteKeys.Generate(name);
}
