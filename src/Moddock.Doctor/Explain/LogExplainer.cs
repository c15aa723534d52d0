using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Explain;

/// <summary>
/// Reads go command output as a stream and finds each failure. A failure starts at an unindented line
/// that names a cause (or an indented one when nothing is open), takes in its indented continuation and
/// the fixed trailers of the go command's multi-line messages, and ends at the next unindented line.
/// The same failure reported again (same cause, place, host and module) yields one finding.
/// </summary>
internal static class LogExplainer
{
    private static readonly string[] Trailers =
    [
        "SECURITY ERROR",
        "This download does NOT match",
        "The bits may have been replaced",
        "have intercepted the download",
        "For more information, see",
        "server response:",
        "If this is a private repository",
        "Confirm the import path was entered correctly",
        "If you are using a private",
    ];

    private static readonly System.Buffers.SearchValues<string> AnchorValues =
        System.Buffers.SearchValues.Create(ExplainRules.Anchors.ToArray(), StringComparison.Ordinal);

    public static async IAsyncEnumerable<Finding> ExplainAsync(TextReader input, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var reader = new BoundedLineReader(input);
        var seen = new HashSet<(string, string?, string?, string?)>();
        FailureGroup? open = null;
        var number = 0;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } raw)
        {
            number++;
            var line = StripAnsi(raw);
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var indented = line[0] is ' ' or '\t';
            var interesting = line.AsSpan().IndexOfAny(AnchorValues) >= 0;
            if (open is not null && (indented || open.EndsWithColon || IsTrailer(line)))
            {
                open.Add(number, line);
                continue;
            }

            if (open is not null)
            {
                if (Close(open, seen) is { } f)
                {
                    yield return f;
                }

                open = null;
            }

            if (interesting && FailureClassifier.FirstMatch(line) is not null)
            {
                open = new FailureGroup();
                open.Add(number, line);
            }
        }

        if (open is not null && Close(open, seen) is { } last)
        {
            yield return last;
        }
    }

    private static Finding? Close(FailureGroup group, HashSet<(string, string?, string?, string?)> seen)
    {
        var f = FailureClassifier.Classify(group);
        // A network fault is one failure however many modules hit it; anything else is per module.
        var perModule = !(f?.Cause.StartsWith("dns.", StringComparison.Ordinal) == true || f?.Cause.StartsWith("tcp.", StringComparison.Ordinal) == true
            || f?.Cause.StartsWith("tls.", StringComparison.Ordinal) == true || f?.Cause.StartsWith("proxy.", StringComparison.Ordinal) == true
            || f?.Cause.StartsWith("config.goproxy", StringComparison.Ordinal) == true || f?.Cause == CauseIds.GosumdbInvalid);
        if (f is null || !seen.Add((f.Cause, f.Where, f.Host, perModule ? f.Module : null)))
        {
            return null;
        }

        return f with { Text = SecretRedactor.Redact(f.Text) };
    }

    private static bool IsTrailer(string line)
    {
        foreach (var t in Trailers)
        {
            if (line.StartsWith(t, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>CI logs keep terminal colours and timestamps; neither is part of what go printed.</summary>
    private static string StripAnsi(string line)
    {
        if (line.Contains('\u001b', StringComparison.Ordinal))
        {
            line = System.Text.RegularExpressions.Regex.Replace(line, @"\u001b\[[0-9;?]*[A-Za-z]", string.Empty, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        }

        // Strip control characters other than tab: garbage input must not reach the terminal.
        if (line.AsSpan().IndexOfAnyInRange('\u0000', '\u0008') >= 0 || line.AsSpan().IndexOfAnyInRange('\u000b', '\u001f') >= 0 || line.Contains('\u007f', StringComparison.Ordinal))
        {
            line = new string(line.Where(c => c == '\t' || !char.IsControl(c)).ToArray());
        }

        return line;
    }
}
