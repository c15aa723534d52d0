using Moddock.Modules.Text;

namespace Moddock.Modules.GoMod;

/// <summary>
/// The go.mod parser of golang.org/x/mod/modfile (read.go): statements, factored blocks and comment attachment,
/// ported so that positions, comments and syntax errors are Go's.
/// </summary>
internal sealed class ModParser
{
    private readonly ModLexer _lexer;
    private readonly List<ModExpr> _stmts = [];

    private ModParser(byte[] data, string fileName) => _lexer = new ModLexer(data, fileName);

    /// <summary>Parses the statements, or throws <see cref="ModSyntaxException"/> with Go's message.</summary>
    public static List<ModExpr> Parse(byte[] data, string fileName)
    {
        var p = new ModParser(data, fileName);
        p.ParseFile();
        p.AssignComments();
        return p._stmts;
    }

    private int Peek => _lexer.Token.Kind;

    private ModToken Lex() => _lexer.Lex();

    private void ParseFile()
    {
        ModCommentBlock? cb = null;
        while (true)
        {
            switch (Peek)
            {
                case '\n':
                    Lex();
                    if (cb is not null)
                    {
                        _stmts.Add(cb);
                        cb = null;
                    }

                    break;
                case ModLexer.LineComment:
                    var tok = Lex();
                    cb ??= new ModCommentBlock(tok.Pos);
                    cb.Before.Add(new ModComment(tok.Pos, GoBytes.Decode(tok.Text), false));
                    break;
                case ModLexer.Eof:
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
            if (ModLexer.IsEol(tok.Kind))
            {
                _stmts.Add(new ModLine(start, tokens, end, inBlock: false));
                return;
            }

            if (tok.Kind == '(')
            {
                var next = Peek;
                if (ModLexer.IsEol(next))
                {
                    _stmts.Add(ParseLineBlock(start, tokens, tok));
                    return;
                }

                if (next == ')')
                {
                    var rparen = Lex();
                    if (ModLexer.IsEol(Peek))
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

    private ModLineBlock ParseLineBlock(ModPosition start, List<byte[]> tokens, ModToken lparen)
    {
        var block = new ModLineBlock(start, tokens);
        block.LParen.Pos = lparen.Pos;
        var comments = new List<ModComment>();
        while (true)
        {
            switch (Peek)
            {
                case ModLexer.EolComment:
                    Lex();
                    break;
                case '\n':
                    Lex();
                    if ((comments.Count == 0 && block.Lines.Count > 0) || (comments.Count > 0 && comments[^1].Token.Length != 0))
                    {
                        comments.Add(default(ModComment) with { Token = "" });
                    }

                    break;
                case ModLexer.LineComment:
                    var tok = Lex();
                    comments.Add(new ModComment(tok.Pos, GoBytes.Decode(tok.Text), false));
                    break;
                case ModLexer.Eof:
                    _lexer.Error($"syntax error (unterminated block started at {_lexer.FileName}:{block.Start.Line}:{block.Start.LineRune})");
                    break;
                case ')':
                    var rparen = Lex();
                    block.RParen.Before = comments;
                    block.RParen.Pos = rparen.Pos;
                    if (!ModLexer.IsEol(Peek))
                    {
                        _lexer.Error("syntax error (expected newline after closing paren)");
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
        if (ModLexer.IsEol(first.Kind))
        {
            _lexer.Error("internal parse error: parseLine at end of line");
        }

        var start = first.Pos;
        var end = first.EndPos;
        List<byte[]> tokens = [first.Text];
        while (true)
        {
            var tok = Lex();
            if (ModLexer.IsEol(tok.Kind))
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

        var suffix = _lexer.SuffixComments;
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
}
