namespace Moddock.Sumdb.Client;

/// <summary>Why a remote read failed: the database said "no such thing", or it could not be reached/used.</summary>
internal enum RemoteFailure { None, NotFound, Unavailable, TooLarge }
