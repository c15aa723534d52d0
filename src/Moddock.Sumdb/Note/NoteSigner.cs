namespace Moddock.Sumdb.Note;

/// <summary>A parsed signer key (Ed25519 seed) with its public half.</summary>
internal sealed class NoteSigner(string name, uint keyHash, byte[] seed, byte[] publicKey)
{
    public string Name { get; } = name;

    public uint KeyHash { get; } = keyHash;

    public byte[] Sign(ReadOnlySpan<byte> message) => Ed25519.Sign(seed, message);

    public NoteVerifier Verifier => new(Name, KeyHash, publicKey);

    public string VerifierKey => NoteKeys.FormatVerifier(Name, KeyHash, publicKey);
}
