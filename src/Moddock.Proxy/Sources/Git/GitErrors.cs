namespace Moddock.Proxy.Sources.Git;

/// <summary>Turns git's stderr into a failure kind and a message that names the host, never a secret.</summary>
internal static class GitErrors
{
    private static readonly string[] AuthMarkers =
    [
        "could not read Username",
        "could not read Password",
        "Authentication failed",
        "terminal prompts disabled",
        "Permission denied (publickey",
        "Permission denied, please try again",
        "HTTP Basic: Access denied",
        "returned error: 401",
        "returned error: 403",
        "Host key verification failed",
        "invalid credentials",
    ];

    private static readonly string[] NotFoundMarkers =
    [
        "does not appear to be a git repository",
        "Repository not found",
        "repository not found",
        "not found",
        "returned error: 404",
        "No such file or directory",
        "Could not resolve host",
        "Name or service not known",
        "unable to look up",
        // git daemon: with --informative-errors, and without (it then will not say which).
        "no such repository",
        "access denied or repository not exported",
    ];

    /// <summary>
    /// The server is there in the configuration but does not answer: an outage, not a missing repository
    /// (a 404 would be cached as "no such module" and tell the user the wrong thing).
    /// </summary>
    private static readonly string[] UnreachableMarkers =
    [
        "Connection refused",
        "No route to host",
        "Network is unreachable",
        "Connection timed out",
        "Connection reset by peer",
        "unable to connect to",
        "Failed to connect to",
        "Could not connect to server",
    ];

    public static DirectFailureException Classify(Uri remote, string what, string stderr)
    {
        var host = remote.Host.Length > 0 ? remote.Host : remote.Scheme;
        if (AuthMarkers.Any(m => stderr.Contains(m, StringComparison.OrdinalIgnoreCase)))
        {
            return new DirectFailureException(
                DirectFailureKind.AuthRequired,
                $"{host}: credentials were refused or are missing for this repository (git {what}); configure a token, .netrc entry or SSH key for {host}");
        }

        if (UnreachableMarkers.Any(m => stderr.Contains(m, StringComparison.OrdinalIgnoreCase)))
        {
            // git daemon puts the reason on the line after "unable to connect to HOST:".
            var reason = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .LastOrDefault(l => UnreachableMarkers.Any(m => l.Contains(m, StringComparison.OrdinalIgnoreCase))) ?? Mirrors.GitMirror.FirstLine(stderr);
            return new DirectFailureException(DirectFailureKind.Other, $"{host}: cannot reach the git server (git {what}: {Mirrors.GitMirror.FirstLine(reason)})");
        }

        if (NotFoundMarkers.Any(m => stderr.Contains(m, StringComparison.OrdinalIgnoreCase)))
        {
            return new DirectFailureException(DirectFailureKind.NotFound, $"{host}: repository not found (git {what}: {Mirrors.GitMirror.FirstLine(stderr)})");
        }

        return new DirectFailureException(DirectFailureKind.Other, $"{host}: git {what} failed: {Mirrors.GitMirror.FirstLine(stderr)}");
    }
}
