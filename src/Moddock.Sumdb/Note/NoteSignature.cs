namespace Moddock.Sumdb.Note;

/// <summary>A note signature line: <c>— name base64(keyhash ‖ signature)</c>.</summary>
internal sealed record NoteSignature(string Name, uint Hash, string Base64);
