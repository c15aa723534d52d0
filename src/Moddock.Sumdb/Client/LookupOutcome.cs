namespace Moddock.Sumdb.Client;

internal enum LookupOutcome { Found, NotFound, Unavailable, Invalid, SecurityError }
