namespace Moddock.Doctor.Explain;

/// <summary>What a private proxy's (Moddock's) relayed answer says, in the words it uses for it.</summary>
internal static class RelayedTexts
{
    public static bool RefusedAsPrivate(FailureGroup g) =>
        g.Lines.Any(l => l.Remote && l.Part.Contains("GONOSUMDB", StringComparison.Ordinal) && l.Part.Contains("not looked up", StringComparison.Ordinal));

    // Moddock's words when a write to its storage fails (Proxy/Storage and Resolution: "cannot store KEY in the storage: why").
    public static bool CannotStore(FailureGroup g) =>
        g.Lines.Any(l => l.Remote && l.Part.Contains("cannot store ", StringComparison.Ordinal) && l.Part.Contains(" in the storage", StringComparison.Ordinal));

    public static bool HasPrivateRemoteText(FailureGroup g) =>
        g.Lines.Any(l => l.Remote && (l.Part.Contains("Repository not found", StringComparison.OrdinalIgnoreCase) || l.Part.Contains("repository '", StringComparison.Ordinal) && l.Part.Contains("not found", StringComparison.Ordinal)));
}
