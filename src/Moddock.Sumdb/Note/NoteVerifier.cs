namespace Moddock.Sumdb.Note;

/// <summary>A parsed verifier key: checks Ed25519 signatures by one named key.</summary>
internal sealed class NoteVerifier(string name, uint keyHash, byte[] publicKey)
{
    public string Name { get; } = name;

    public uint KeyHash { get; } = keyHash;

    public byte[] PublicKey { get; } = publicKey;

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) => Ed25519.Verify(PublicKey, message, signature);

    public override string ToString() => NoteKeys.FormatVerifier(Name, KeyHash, PublicKey);
}
