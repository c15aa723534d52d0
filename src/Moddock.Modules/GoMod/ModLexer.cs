using System.Text;
using Moddock.Modules.Text;

namespace Moddock.Modules.GoMod;

/// <summary>
/// The go.mod lexer of golang.org/x/mod/modfile (read.go), over bytes: one token of lookahead in
/// <see cref="Token"/>, Go's positions, and end-of-line comments collected for later attachment. Syntax errors
/// throw <see cref="ModSyntaxException"/> at the lexer's position, which may lie past the offending token, as in Go.
/// </summary>
internal sealed class ModLexer
{
    public const int Eof = -1;
    public const int EolComment = -2;
    public const int Ident = -3;
    public const int QuotedString = -4;
    public const int LineComment = -5;

    private readonly byte[] _data;
    private readonly string _fileName;
    private int _offset;
    private ModPosition _pos = new(1, 1, 0);
    private int _tokenStart;

    public ModLexer(byte[] data, string fileName)
    {
        _data = data;
        _fileName = fileName;
        ReadToken();
    }

    /// <summary>The next token, not yet consumed.</summary>
    public ModToken Token { get; private set; }

    /// <summary>End-of-line comments seen so far, in order.</summary>
    public List<ModComment> SuffixComments { get; } = [];

    public string FileName => _fileName;

    public static bool IsEol(int kind) => kind is Eof or EolComment or '\n';

    public void Error(string message) => throw new ModSyntaxException(_pos.Prefix(_fileName) + message);

    public ModToken Lex()
    {
        var tok = Token;
        ReadToken();
        return tok;
    }

    private bool AtEof => _offset >= _data.Length;

    private int PeekRune() => AtEof ? 0 : GoBytes.DecodeRune(_data.AsSpan(_offset)).Rune;

    private bool PeekPrefix(string prefix)
    {
        for (var i = 0; i < prefix.Length; i++)
        {
            if (_offset + i >= _data.Length || _data[_offset + i] != prefix[i])
            {
                return false;
            }
        }

        return true;
    }

    private int ReadRune()
    {
        if (AtEof)
        {
            Error("internal lexer error: readRune at EOF");
        }

        var (r, size) = GoBytes.DecodeRune(_data.AsSpan(_offset));
        _offset += size;
        _pos = r == '\n' ? new ModPosition(_pos.Line + 1, 1, _pos.Byte + size) : new ModPosition(_pos.Line, _pos.LineRune + 1, _pos.Byte + size);
        return r;
    }

    private void StartToken()
    {
        _tokenStart = _offset;
        Token = new ModToken(0, _pos, _pos, []);
    }

    private void EndToken(int kind)
    {
        var text = _data.AsSpan(_tokenStart, _offset - _tokenStart);
        if (kind is LineComment or EolComment)
        {
            if (text.EndsWith("\r\n"u8))
            {
                text = text[..^2];
            }
            else if (text.EndsWith("\n"u8))
            {
                text = text[..^1];
            }
        }

        Token = new ModToken(kind, Token.Pos, _pos, text.ToArray());
    }

    private void ReadToken()
    {
        while (!AtEof)
        {
            var c = PeekRune();
            if (c is ' ' or '\t' or '\r')
            {
                ReadRune();
                continue;
            }

            if (PeekPrefix("//"))
            {
                StartToken();

                // A comment is a suffix comment if anything but space precedes it on its line.
                var lineStart = Array.LastIndexOf(_data, (byte)'\n', Math.Max(0, _pos.Byte - 1), _pos.Byte) + 1;
                var suffix = !IsAllSpace(_data.AsSpan(lineStart, _pos.Byte - lineStart));
                ReadRune();
                ReadRune();
                while (!AtEof && ReadRune() != '\n')
                {
                }

                if (!suffix)
                {
                    EndToken(LineComment);
                    return;
                }

                EndToken(EolComment);
                SuffixComments.Add(new ModComment(Token.Pos, GoBytes.Decode(Token.Text), true));
                return;
            }

            if (PeekPrefix("/*"))
            {
                Error("mod files must use // comments (not /* */ comments)");
            }

            break;
        }

        StartToken();
        if (AtEof)
        {
            EndToken(Eof);
            return;
        }

        var ch = PeekRune();
        switch (ch)
        {
            case '\n' or '(' or ')' or '[' or ']' or '{' or '}' or ',':
                ReadRune();
                EndToken(ch);
                return;
            case '"' or '`':
                ReadString(ch);
                return;
        }

        if (!IsIdent(PeekRune()))
        {
            Error("unexpected input character " + GoQuote.QuoteRune(PeekRune()));
        }

        while (IsIdent(PeekRune()))
        {
            if (PeekPrefix("//"))
            {
                break;
            }

            if (PeekPrefix("/*"))
            {
                Error("mod files must use // comments (not /* */ comments)");
            }

            ReadRune();
        }

        EndToken(Ident);
    }

    private void ReadString(int quote)
    {
        ReadRune();
        while (true)
        {
            if (AtEof)
            {
                _pos = Token.Pos;
                Error("unexpected EOF in string");
            }

            if (PeekRune() == '\n')
            {
                Error("unexpected newline in string");
            }

            var c = ReadRune();
            if (c == quote)
            {
                break;
            }

            if (c == '\\' && quote != '`')
            {
                if (AtEof)
                {
                    _pos = Token.Pos;
                    Error("unexpected EOF in string");
                }

                ReadRune();
            }
        }

        EndToken(QuotedString);
    }

    // len(bytes.TrimSpace(s)) == 0, with Unicode white space as Go defines it.
    private static bool IsAllSpace(ReadOnlySpan<byte> s)
    {
        while (!s.IsEmpty)
        {
            var (r, n) = GoBytes.DecodeRune(s);
            if (!IsGoSpace(r) || (r == 0xFFFD && n == 1))
            {
                return false;
            }

            s = s[n..];
        }

        return true;
    }

    private static bool IsIdent(int c) =>
        c is not (' ' or '(' or ')' or '[' or ']' or '{' or '}' or ',')
        && !IsGoSpace(c) && GoQuote.IsPrint(c);

    // unicode.IsSpace
    private static bool IsGoSpace(int c) =>
        c is '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or 0x85 or 0xA0
        || (c > 0xFF && c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF) && Rune.IsWhiteSpace(new Rune(c)));
}
