using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Moddock.Sumdb.Note;

/// <summary>Ed25519 (RFC 8032) through Portable.BouncyCastle: .NET has no Ed25519 of its own.</summary>
internal static class Ed25519
{
    public static byte[] PublicKeyFromSeed(byte[] seed) => new Ed25519PrivateKeyParameters(seed, 0).GeneratePublicKey().GetEncoded();

    public static byte[] Sign(byte[] seed, ReadOnlySpan<byte> message)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, new Ed25519PrivateKeyParameters(seed, 0));
        var msg = message.ToArray();
        signer.BlockUpdate(msg, 0, msg.Length);
        return signer.GenerateSignature();
    }

    public static bool Verify(byte[] publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 64)
        {
            return false;
        }

        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(publicKey, 0));
        var msg = message.ToArray();
        verifier.BlockUpdate(msg, 0, msg.Length);
        return verifier.VerifySignature(signature.ToArray());
    }
}
