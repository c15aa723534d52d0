using Moddock.Modules.Text;

namespace Moddock.Modules.Patterns;

/// <summary>
/// Go 1.19's path.Match over UTF-8 bytes, kept byte-exact because module.MatchPrefixPatterns inherits its
/// quirks: '*' never crosses '/', a malformed pattern is an error only once the scan reaches it, and '?'
/// and classes decode one rune (an invalid byte counts as one rune).
/// </summary>
internal static class GoPathMatch
{
    private const int Failed = 0;
    private const int Ok = 1;
    private const int Bad = 2;

    /// <summary>Returns false for "no match" and null for ErrBadPattern.</summary>
    public static bool? Match(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> name)
    {
    Pattern:
        while (!pattern.IsEmpty)
        {
            var star = ScanChunk(ref pattern, out var chunk);
            if (star && chunk.IsEmpty)
            {
                // Trailing * matches the rest of the name unless it has a '/'.
                return !name.Contains((byte)'/');
            }

            var res = MatchChunk(chunk, name, out var t);
            if (res == Ok && (t.IsEmpty || !pattern.IsEmpty))
            {
                name = t;
                continue;
            }

            if (res == Bad)
            {
                return null;
            }

            if (star)
            {
                for (var i = 0; i < name.Length && name[i] != '/'; i++)
                {
                    res = MatchChunk(chunk, name[(i + 1)..], out t);
                    if (res == Ok)
                    {
                        if (pattern.IsEmpty && !t.IsEmpty)
                        {
                            continue;
                        }

                        name = t;
                        goto Pattern;
                    }

                    if (res == Bad)
                    {
                        return null;
                    }
                }
            }

            // No match, but the rest of the pattern must still be well formed.
            while (!pattern.IsEmpty)
            {
                ScanChunk(ref pattern, out chunk);
                if (MatchChunk(chunk, [], out _) == Bad)
                {
                    return null;
                }
            }

            return false;
        }

        return name.IsEmpty;
    }

    private static bool ScanChunk(ref ReadOnlySpan<byte> pattern, out ReadOnlySpan<byte> chunk)
    {
        var star = false;
        while (!pattern.IsEmpty && pattern[0] == '*')
        {
            pattern = pattern[1..];
            star = true;
        }

        var inRange = false;
        var i = 0;
        for (; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 < pattern.Length)
                {
                    i++;
                }
            }
            else if (c == '[')
            {
                inRange = true;
            }
            else if (c == ']')
            {
                inRange = false;
            }
            else if (c == '*' && !inRange)
            {
                break;
            }
        }

        chunk = pattern[..i];
        pattern = pattern[i..];
        return star;
    }

    private static int MatchChunk(scoped ReadOnlySpan<byte> chunk, ReadOnlySpan<byte> s, out ReadOnlySpan<byte> rest)
    {
        rest = [];
        var failed = false;
        while (!chunk.IsEmpty)
        {
            if (!failed && s.IsEmpty)
            {
                failed = true;
            }

            switch (chunk[0])
            {
                case (byte)'[':
                {
                    var r = 0;
                    if (!failed)
                    {
                        (r, var n) = GoBytes.DecodeRune(s);
                        s = s[n..];
                    }

                    chunk = chunk[1..];
                    var negated = false;
                    if (!chunk.IsEmpty && chunk[0] == '^')
                    {
                        negated = true;
                        chunk = chunk[1..];
                    }

                    var match = false;
                    var nrange = 0;
                    while (true)
                    {
                        if (!chunk.IsEmpty && chunk[0] == ']' && nrange > 0)
                        {
                            chunk = chunk[1..];
                            break;
                        }

                        if (!GetEsc(ref chunk, out var lo))
                        {
                            return Bad;
                        }

                        var hi = lo;
                        if (chunk[0] == '-')
                        {
                            chunk = chunk[1..];
                            if (!GetEsc(ref chunk, out hi))
                            {
                                return Bad;
                            }
                        }

                        if (lo <= r && r <= hi)
                        {
                            match = true;
                        }

                        nrange++;
                    }

                    if (match == negated)
                    {
                        failed = true;
                    }

                    break;
                }

                case (byte)'?':
                    if (!failed)
                    {
                        if (s[0] == '/')
                        {
                            failed = true;
                        }

                        s = s[GoBytes.DecodeRune(s).Width..];
                    }

                    chunk = chunk[1..];
                    break;

                case (byte)'\\':
                    chunk = chunk[1..];
                    if (chunk.IsEmpty)
                    {
                        return Bad;
                    }

                    goto default;

                default:
                    if (!failed)
                    {
                        if (chunk[0] != s[0])
                        {
                            failed = true;
                        }

                        s = s[1..];
                    }

                    chunk = chunk[1..];
                    break;
            }
        }

        if (failed)
        {
            return Failed;
        }

        rest = s;
        return Ok;
    }

    // getEsc: one possibly escaped rune of a character class; the class must not end right after it.
    private static bool GetEsc(ref ReadOnlySpan<byte> chunk, out int r)
    {
        r = 0;
        if (chunk.IsEmpty || chunk[0] == '-' || chunk[0] == ']')
        {
            return false;
        }

        if (chunk[0] == '\\')
        {
            chunk = chunk[1..];
            if (chunk.IsEmpty)
            {
                return false;
            }
        }

        (r, var n) = GoBytes.DecodeRune(chunk);
        var invalid = r == 0xFFFD && n == 1;
        chunk = chunk[n..];
        return !invalid && !chunk.IsEmpty;
    }
}
