using System.Buffers.Binary;
using System.Text;

namespace Moddock.Sumdb.Note;

/// <summary>
/// note.Open / note.Sign with Go's text rules: the message is UTF-8 with no control characters but '\n';
/// text and signatures are split at the LAST "\n\n"; each signature line starts with "— " (U+2014 and a space);
/// at most 100 signatures; signatures by unknown keys are ignored; at least one must verify; a bad signature by
/// a known key fails the whole note.
/// </summary>
internal static class SignedNotes
{
    public const int MaxSignatures = 100;
    private static readonly byte[] SigPrefix = Encoding.UTF8.GetBytes("— ");

    public static bool TryOpen(ReadOnlySpan<byte> msg, IReadOnlyList<NoteVerifier> known, out SignedNote? note, out NoteError? error)
    {
        note = null;
        if (!IsValidText(msg))
        {
            error = Malformed("note contains invalid UTF-8 or control characters");
            return false;
        }

        var split = msg.LastIndexOf("\n\n"u8);
        if (split < 0)
        {
            error = Malformed("note has no signature block");
            return false;
        }

        var text = msg[..(split + 1)];
        var sigs = msg[(split + 2)..];
        if (sigs.Length == 0 || sigs[^1] != (byte)'\n')
        {
            error = Malformed("note signature block does not end in a newline");
            return false;
        }

        var verified = new List<NoteSignature>();
        var unverified = new List<NoteSignature>();
        var seen = new HashSet<(string, uint)>();
        var seenUnverified = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        while (sigs.Length > 0)
        {
            var nl = sigs.IndexOf((byte)'\n');
            var line = sigs[..nl];
            sigs = sigs[(nl + 1)..];
            if (!line.StartsWith(SigPrefix))
            {
                error = Malformed("note signature line does not start with \"— \"");
                return false;
            }

            var rest = Encoding.UTF8.GetString(line[SigPrefix.Length..]);
            var (name, b64) = NoteKeys.Chop(rest, ' ');
            if (!NoteKeys.TryBase64(b64, out var sig) || !NoteKeys.IsValidName(name) || b64.Length == 0 || sig.Length < 5)
            {
                error = Malformed("malformed note signature line");
                return false;
            }

            var hash = BinaryPrimitives.ReadUInt32BigEndian(sig);
            if (++count > MaxSignatures)
            {
                error = Malformed($"note has more than {MaxSignatures} signatures");
                return false;
            }

            var matches = known.Where(v => v.Name == name && v.KeyHash == hash).ToList();
            if (matches.Count == 0)
            {
                if (seenUnverified.Add(rest))
                {
                    unverified.Add(new NoteSignature(name, hash, b64));
                }

                continue;
            }

            if (matches.Count > 1)
            {
                error = new NoteError(NoteErrorKind.AmbiguousKey, $"ambiguous key {name}+{hash:x8}");
                return false;
            }

            if (!seen.Add((name, hash)))
            {
                continue;
            }

            if (!matches[0].Verify(text, sig.AsSpan(4)))
            {
                error = new NoteError(NoteErrorKind.InvalidSignature, $"invalid signature for key {name}+{hash:x8}");
                return false;
            }

            verified.Add(new NoteSignature(name, hash, b64));
        }

        if (verified.Count == 0)
        {
            error = new NoteError(NoteErrorKind.UnknownKeysOnly, "note has no verifiable signatures");
            return false;
        }

        note = new SignedNote(Encoding.UTF8.GetString(text), verified, unverified);
        error = null;
        return true;
    }

    /// <summary>note.Sign for a fresh note: the text (must end in '\n'), a blank line, one line per signer.</summary>
    public static byte[] Sign(string text, params NoteSigner[] signers)
    {
        if (!text.EndsWith('\n'))
        {
            throw new ArgumentException("note text must end in a newline", nameof(text));
        }

        var textBytes = Encoding.UTF8.GetBytes(text);
        if (!IsValidText(textBytes))
        {
            throw new ArgumentException("note text contains control characters", nameof(text));
        }

        var sb = new StringBuilder(text).Append('\n');
        foreach (var s in signers)
        {
            var sig = new byte[4 + 64];
            BinaryPrimitives.WriteUInt32BigEndian(sig, s.KeyHash);
            s.Sign(textBytes).CopyTo(sig, 4);
            sb.Append("— ").Append(s.Name).Append(' ').Append(Convert.ToBase64String(sig)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    // Go: every rune must be >= 0x20 or '\n', and no invalid UTF-8.
    private static bool IsValidText(ReadOnlySpan<byte> msg)
    {
        if (System.Text.Unicode.Utf8.IsValid(msg) is false)
        {
            return false;
        }

        foreach (var b in msg)
        {
            if (b < 0x20 && b != (byte)'\n')
            {
                return false;
            }
        }

        return true;
    }

    private static NoteError Malformed(string why) => new(NoteErrorKind.Malformed, "malformed note: " + why);
}
