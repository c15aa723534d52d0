namespace Moddock.Proxy.Sources.Git;

/// <summary>The outcome of one git process. StdErr is redacted before anyone sees it.</summary>
internal sealed record GitCommandResult(int ExitCode, byte[] StdOut, string StdErr)
{
    public bool Ok => ExitCode == 0;

    public string Text => System.Text.Encoding.UTF8.GetString(StdOut);
}
