using System.Text;
using Moddock.Modules.Text;

namespace Moddock.Modules.GoMod;

/// <summary>
/// The go.mod lexer and parser of golang.org/x/mod/modfile (read.go), ported over bytes so that positions,
/// comment attachment and syntax errors are Go's. It works one token ahead, like Go's, which is why error
/// positions can lie past the offending token.
/// </summary>
internal sealed class ModParser
{
    private const int Eof = -1;
    private const int EolComment = -2;
    private const int Ident = -3;
    private const int QuotedString = -4;
    private const int LineComment = -5;

    private readonly byte[] _data;
    private readonly string _fileName;
    private readonly List<ModComment> _comments = [];
    private readonly List<ModExpr> _stmts = [];
    private int _offset;
    private ModPosition _pos = new(1, 1, 0);
    private int _tokenStart;
    private Token _token;

    private ModParser(byte[] data, string fileName)
    {
        _data = data;
        _fileName = fileName;
    }

    /// <summary>Parses the statements, or throws <see cref="ModSyntaxException"/> with Go's message.</summary>
    public static List<ModExpr> Parse(byte[] data, string fileName)
    {
        var p = new ModParser(data, fileName);
        p.ReadToken();
        p.ParseFile();
        p.AssignComments();
        return p._stmts;
    }

    private static bool IsEol(int kind) => kind is Eof or EolComment or '\n';

    private void Error(string message) => throw new ModSyntaxException(_pos.Prefix(_fileName) + message);

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
        _token = new Token(0, _pos, _pos, []);
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

        _token = new Token(kind, _token.Pos, _pos, text.ToArray());
    }

    private Token Lex()
    {
        var tok = _token;
        ReadToken();
        return tok;
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
                _comments.Add(new ModComment(_token.Pos, GoBytes.Decode(_token.Text), true));
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
                _pos = _token.Pos;
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
                    _pos = _token.Pos;
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

    private void ParseFile()
    {
        ModCommentBlock? cb = null;
        while (true)
        {
            switch (_token.Kind)
            {
                case '\n':
                    Lex();
                    if (cb is not null)
                    {
                        _stmts.Add(cb);
                        cb = null;
                    }

                    break;
                case LineComment:
                    var tok = Lex();
                    cb ??= new ModCommentBlock(tok.Pos);
                    cb.Before.Add(new ModComment(tok.Pos, GoBytes.Decode(tok.Text), false));
                    break;
                case Eof:
                    if (cb is not null)
                    {
                        _stmts.Add(cb);
                    }

                    return;
                default:
                    ParseStmt();
                    if (cb is not null)
                    {
                        _stmts[^1].Before = cb.Before;
                        cb = null;
                    }

                    break;
            }
        }
    }

    private void ParseStmt()
    {
        var first = Lex();
        var start = first.Pos;
        var end = first.EndPos;
        List<byte[]> tokens = [first.Text];
        while (true)
        {
            var tok = Lex();
            if (IsEol(tok.Kind))
            {
                _stmts.Add(new ModLine(start, tokens, end, inBlock: false));
                return;
            }

            if (tok.Kind == '(')
            {
                var next = _token.Kind;
                if (IsEol(next))
                {
                    _stmts.Add(ParseLineBlock(start, tokens, tok));
                    return;
                }

                if (next == ')')
                {
                    var rparen = Lex();
                    if (IsEol(_token.Kind))
                    {
                        Lex();
                        var block = new ModLineBlock(start, tokens);
                        block.LParen.Pos = tok.Pos;
                        block.RParen.Pos = rparen.Pos;
                        _stmts.Add(block);
                        return;
                    }

                    tokens.Add(tok.Text);
                    tokens.Add(rparen.Text);
                }
                else
                {
                    tokens.Add(tok.Text);
                }

                // Go does not move the line's end past a '(' here.
                continue;
            }

            tokens.Add(tok.Text);
            end = tok.EndPos;
        }
    }

    private ModLineBlock ParseLineBlock(ModPosition start, List<byte[]> tokens, Token lparen)
    {
        var block = new ModLineBlock(start, tokens);
        block.LParen.Pos = lparen.Pos;
        var comments = new List<ModComment>();
        while (true)
        {
            switch (_token.Kind)
            {
                case EolComment:
                    Lex();
                    break;
                case '\n':
                    Lex();
                    if ((comments.Count == 0 && block.Lines.Count > 0) || (comments.Count > 0 && comments[^1].Token.Length != 0))
                    {
                        comments.Add(default(ModComment) with { Token = "" });
                    }

                    break;
                case LineComment:
                    var tok = Lex();
                    comments.Add(new ModComment(tok.Pos, GoBytes.Decode(tok.Text), false));
                    break;
                case Eof:
                    Error($"syntax error (unterminated block started at {_fileName}:{block.Start.Line}:{block.Start.LineRune})");
                    break;
                case ')':
                    var rparen = Lex();
                    block.RParen.Before = comments;
                    block.RParen.Pos = rparen.Pos;
                    if (!IsEol(_token.Kind))
                    {
                        Error("syntax error (expected newline after closing paren)");
                    }

                    Lex();
                    return block;
                default:
                    var line = ParseLine();
                    block.Lines.Add(line);
                    line.Before = comments;
                    comments = [];
                    break;
            }
        }
    }

    private ModLine ParseLine()
    {
        var first = Lex();
        if (IsEol(first.Kind))
        {
            Error("internal parse error: parseLine at end of line");
        }

        var start = first.Pos;
        var end = first.EndPos;
        List<byte[]> tokens = [first.Text];
        while (true)
        {
            var tok = Lex();
            if (IsEol(tok.Kind))
            {
                return new ModLine(start, tokens, end, inBlock: true);
            }

            tokens.Add(tok.Text);
            end = tok.EndPos;
        }
    }

    // modfile assignComments: whole-line comments were attached while parsing; each end-of-line comment goes to
    // the last single-line node (in post-order) that ends before it.
    private void AssignComments()
    {
        var post = new List<ModExpr>();
        foreach (var stmt in _stmts)
        {
            if (stmt is ModLineBlock block)
            {
                post.Add(block.LParen);
                post.AddRange(block.Lines);
                post.Add(block.RParen);
            }

            post.Add(stmt);
        }

        var suffix = _comments;
        for (var i = post.Count - 1; i >= 0; i--)
        {
            var (start, end) = post[i].Span;
            if (start.Line != end.Line)
            {
                continue;
            }

            while (suffix.Count > 0 && end.Byte <= suffix[^1].Start.Byte)
            {
                post[i].Suffix.Add(suffix[^1]);
                suffix.RemoveAt(suffix.Count - 1);
            }
        }

        foreach (var x in post)
        {
            x.Suffix.Reverse();
        }
    }

    private readonly record struct Token(int Kind, ModPosition Pos, ModPosition EndPos, byte[] Text);
}
