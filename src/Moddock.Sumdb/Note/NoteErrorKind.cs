namespace Moddock.Sumdb.Note;

/// <summary>Why a note did not open. <see cref="UnknownKeysOnly"/> = well formed but no signature by a known key.</summary>
internal enum NoteErrorKind { Malformed, InvalidSignature, UnknownKeysOnly, AmbiguousKey }
