namespace Moddock.Sumdb.Note;

internal sealed record NoteError(NoteErrorKind Kind, string Message);
