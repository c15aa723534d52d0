using System.Text;
using Moddock.Sumdb.Note;
using Moddock.Sumdb.Tests.Support;

namespace Moddock.Sumdb.Tests.Note;

public sealed class SignedNotesTests
{
    private static readonly SumOracle Go = SumOracle.Instance;

    [Fact]
    public void TryParseVerifier_GoPeterNeumannKey_ParsesNameAndHash()
    {
        var src = GoTestData.Read("note/note_test.go");
        var vkey = GoTestData.Assigned(src, "vkey");
        Assert.True(NoteKeys.TryParseVerifier(vkey, out var v, out var err), err);
        var go = Go.Ok("verifier", vkey);
        Assert.Equal(go[0], v!.Name);
        Assert.Equal(go[1], v.KeyHash.ToString("x8"));
        Assert.Equal(vkey, v.ToString());
    }

    [Fact]
    public void Sign_GoPeterNeumannSigner_ReproducesGoSignature()
    {
        // note_test.go: skey signs `text`, the expected signed message's signature line is peterSig.
        var src = GoTestData.Read("note/note_test.go");
        var skey = GoTestData.Assigned(src, "skey");
        var peterSig = GoTestData.Assigned(src, "peterSig");
        var text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
        Assert.Contains(GoTestData.Unquote("\"If you think cryptography is the answer to your problem,\\n\""), src);
        Assert.True(NoteKeys.TryParseSigner(skey, out var signer, out var err), err);

        var signed = Encoding.UTF8.GetString(SignedNotes.Sign(text, signer!));

        Assert.Equal(text + "\n" + peterSig, signed);
    }

    [Fact]
    public void TryOpen_GoBenchmarkMessage_Verifies()
    {
        var src = GoTestData.Read("note/note_test.go");
        var vkey = GoTestData.Assigned(src, "peterKey");
        var sig = GoTestData.Assigned(src, "peterSig");
        var text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
        NoteKeys.TryParseVerifier(vkey, out var v, out _);

        Assert.True(SignedNotes.TryOpen(Encoding.UTF8.GetBytes(text + "\n" + sig), [v!], out var note, out var error), error?.Message);
        Assert.Equal(text, note!.Text);
        Assert.Single(note.Signatures);
    }

    [Fact]
    public void Sign_OracleKeys_GoVerifiesOursAndWeVerifyGos()
    {
        var keys = Go.Ok("keygen", "example.com/sumdb");
        Assert.True(NoteKeys.TryParseSigner(keys[0], out var signer, out var e1), e1);
        Assert.True(NoteKeys.TryParseVerifier(keys[1], out var verifier, out var e2), e2);
        Assert.Equal(keys[1], signer!.VerifierKey);
        const string text = "go.sum database tree\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n";

        var ours = SignedNotes.Sign(text, signer);
        var goText = Go.Ok("verify", keys[1], Convert.ToBase64String(ours));
        Assert.Equal(text, Encoding.UTF8.GetString(Convert.FromBase64String(goText[0])));

        var theirs = Convert.FromBase64String(Go.Ok("sign", keys[0], Convert.ToBase64String(Encoding.UTF8.GetBytes(text)))[0]);
        Assert.Equal(ours, theirs); // Ed25519 is deterministic: same key, same text, same bytes.
        Assert.True(SignedNotes.TryOpen(theirs, [verifier!], out _, out _));
    }

    [Fact]
    public void Generate_OurKeys_GoAcceptsBoth()
    {
        var (skey, vkey) = NoteKeys.Generate("moddock.test/private");
        var s = Go.Ok("signer", skey);
        var v = Go.Ok("verifier", vkey);
        Assert.Equal(["moddock.test/private", v[1]], s);
        Assert.Equal(s, v);
    }

    public static TheoryData<string> BadNotes()
    {
        const string text = "hello\nworld\n";
        return new TheoryData<string>
        {
            "no-signature-block",                       // no blank line
            text,                                        // no signatures
            text + "\n— KEY sig",                        // signature line without final newline
            text + "\n-- KEY AAAA\n",                    // wrong prefix (ASCII dashes)
            text + "\n— KEY !!!!\n",                     // not base64
            text + "\n— KEY AAAA\n",                     // too short (< 5 bytes)
            "hel\u0001lo\n\n— KEY AAAAAAAA\n",            // control character
            text + "\n— Bad Name AAAAAAAA\n",            // space in name
        };
    }

    [Theory]
    [MemberData(nameof(BadNotes))]
    public void TryOpen_MalformedNote_RejectedLikeGo(string msg)
    {
        var (_, vkey) = NoteKeys.Generate("KEY");
        NoteKeys.TryParseVerifier(vkey, out var v, out _);

        var ok = SignedNotes.TryOpen(Encoding.UTF8.GetBytes(msg), [v!], out _, out var error);

        Assert.False(ok);
        Assert.Equal("err", Go.Ask("verify", vkey, Convert.ToBase64String(Encoding.UTF8.GetBytes(msg)))[0]);
        Assert.NotNull(error);
    }

    [Fact]
    public void TryOpen_InvalidUtf8_Rejected()
    {
        var (_, vkey) = NoteKeys.Generate("KEY");
        NoteKeys.TryParseVerifier(vkey, out var v, out _);
        byte[] msg = [.. "a\xff"u8.ToArray().Take(1), 0xff, (byte)'\n', (byte)'\n', .. Encoding.UTF8.GetBytes("— KEY AAAAAAAA\n")];

        Assert.False(SignedNotes.TryOpen(msg, [v!], out _, out var error));
        Assert.Equal(NoteErrorKind.Malformed, error!.Kind);
        Assert.Equal("err", Go.Ask("verify", vkey, Convert.ToBase64String(msg))[0]);
    }

    [Fact]
    public void TryOpen_OnlyUnknownKeys_FailsAsUnverified()
    {
        var (skey, _) = NoteKeys.Generate("other");
        var (_, vkey) = NoteKeys.Generate("mine");
        NoteKeys.TryParseSigner(skey, out var s, out _);
        NoteKeys.TryParseVerifier(vkey, out var v, out _);
        var msg = SignedNotes.Sign("text\n", s!);

        Assert.False(SignedNotes.TryOpen(msg, [v!], out _, out var error));
        Assert.Equal(NoteErrorKind.UnknownKeysOnly, error!.Kind);
        Assert.Equal("err", Go.Ask("verify", vkey, Convert.ToBase64String(msg))[0]);
    }

    [Fact]
    public void TryOpen_UnknownKeysIgnoredWhenOneVerifies_Opens()
    {
        var (skey1, vkey1) = NoteKeys.Generate("mine");
        var (skey2, _) = NoteKeys.Generate("other");
        NoteKeys.TryParseSigner(skey1, out var s1, out _);
        NoteKeys.TryParseSigner(skey2, out var s2, out _);
        NoteKeys.TryParseVerifier(vkey1, out var v1, out _);
        var msg = SignedNotes.Sign("text\n", s2!, s1!);

        Assert.True(SignedNotes.TryOpen(msg, [v1!], out var note, out _));
        Assert.Single(note!.Unverified);
        Assert.Equal("ok", Go.Ask("verify", vkey1, Convert.ToBase64String(msg))[0]);
    }

    [Fact]
    public void TryOpen_TamperedText_InvalidSignature()
    {
        var (skey, vkey) = NoteKeys.Generate("mine");
        NoteKeys.TryParseSigner(skey, out var s, out _);
        NoteKeys.TryParseVerifier(vkey, out var v, out _);
        var msg = SignedNotes.Sign("go.sum database tree\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n", s!);
        msg[21] = (byte)'6';

        Assert.False(SignedNotes.TryOpen(msg, [v!], out _, out var error));
        Assert.Equal(NoteErrorKind.InvalidSignature, error!.Kind);
        Assert.Equal("err", Go.Ask("verify", vkey, Convert.ToBase64String(msg))[0]);
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void TryOpen_SignatureCount_AtMost100LikeGo(int count, bool wantOk)
    {
        var (skey, vkey) = NoteKeys.Generate("mine");
        NoteKeys.TryParseSigner(skey, out var s, out _);
        NoteKeys.TryParseVerifier(vkey, out var v, out _);
        var signed = Encoding.UTF8.GetString(SignedNotes.Sign("text\n", s!));
        var extra = string.Concat(Enumerable.Range(0, count - 1).Select(i => $"— other{i} AAAAAAAAAAAA\n"));
        var msg = Encoding.UTF8.GetBytes(extra.Length == 0 ? signed : signed.Replace("\n\n", "\n\n" + extra, StringComparison.Ordinal));

        Assert.Equal(wantOk, SignedNotes.TryOpen(msg, [v!], out _, out _));
        Assert.Equal(wantOk ? "ok" : "err", Go.Ask("verify", vkey, Convert.ToBase64String(msg))[0]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("name")]
    [InlineData("name+0000+AQ==")]
    [InlineData("name+zzzzzzzz+AQ==")]
    [InlineData("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")]
    [InlineData("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    public void TryParseVerifier_BadKey_RejectedLikeGo(string vkey)
    {
        Assert.False(NoteKeys.TryParseVerifier(vkey, out _, out var error));
        Assert.NotNull(error);
        Assert.Equal("err", Go.Ask("verifier", vkey)[0]);
    }
}
