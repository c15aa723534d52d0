namespace Moddock.Doctor.Explain;

/// <summary>
/// The lines of one failure as the go command prints it: a head line, its indented continuation,
/// and the fixed trailers of multi-line messages (SECURITY ERROR …). Text after "server response:"
/// was written by the remote proxy or checksum database, and is kept apart as remote.
/// </summary>
internal sealed class FailureGroup
{
    public const int MaxLines = 200;

    public List<GroupLine> Lines { get; } = [];

    public bool InRemote { get; set; }

    public bool EndsWithColon { get; set; }

    public void Add(int number, string text)
    {
        if (Lines.Count >= MaxLines)
        {
            return;
        }

        var idx = text.IndexOf("server response:", StringComparison.Ordinal);
        if (idx >= 0 && !InRemote)
        {
            Lines.Add(new GroupLine(number, text, text[..idx], false));
            Lines.Add(new GroupLine(number, text, text[(idx + "server response:".Length)..], true));
            InRemote = true;
        }
        else
        {
            Lines.Add(new GroupLine(number, text, text, InRemote));
        }

        var trimmed = text.TrimEnd();
        if (trimmed.Length > 0)
        {
            EndsWithColon = trimmed.EndsWith(':');
        }
    }
}

/// <summary>One line of a failure; <see cref="Part"/> is the piece to classify (local or remote).</summary>
internal sealed record GroupLine(int Number, string Text, string Part, bool Remote);
