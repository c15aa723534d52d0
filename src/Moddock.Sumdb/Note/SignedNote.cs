namespace Moddock.Sumdb.Note;

/// <summary>An opened note: its text and the signatures that verified (and those by unknown keys).</summary>
internal sealed record SignedNote(string Text, IReadOnlyList<NoteSignature> Signatures, IReadOnlyList<NoteSignature> Unverified);
