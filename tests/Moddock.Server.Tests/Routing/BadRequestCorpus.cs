namespace Moddock.Server.Tests.Routing;

/// <summary>Request targets that name no artifact, and the status each must get (never 500).</summary>
internal static class BadRequestCorpus
{
    /// <summary>
    /// Targets Kestrel's HTTP/1.1 parser refuses with a bare 400 (no body) before any application
    /// code runs: an escaped or raw NUL and raw bytes above 0x7F in the request line, and a request line over 8 KiB (414) (the tests send
    /// targets as Latin-1, so a char above U+007F is such a byte). The hot path in front of Kestrel
    /// answers these itself with a reason and closes the connection, as Kestrel's 400 does; without
    /// it (TLS, client auth) they stay bare.
    /// </summary>
    public static bool RejectedByKestrel(string target) =>
        target.Contains("%00", StringComparison.Ordinal) || target.Any(c => c is > '\u007f' or ' ' or '\0') || target.Length > 8 * 1024;

    public static TheoryData<string, int> Targets => new()
    {
        // traversal
        { "/../etc/passwd", 400 },
        { "/example.com/../../etc/passwd/@v/list", 400 },
        { "/example.com/m/@v/../../../etc/passwd.zip", 400 },
        { "/example.com/%2e%2e/%2e%2e/etc/@v/list", 400 },
        { "/example.com/%2E%2E/@v/v1.0.0.zip", 400 },
        { "/example.com/./m/@v/list", 400 },
        { "/example.com/m/@v/v1.0.0.zip/../../x", 400 },
        // encoded separators, backslashes, NUL
        { "/example.com%2fm/@v/list", 400 },
        { "/example.com%2Fm/@v/list", 400 },
        { "/example.com/m/@v/..%2f..%2fetc%2fpasswd.info", 400 },
        { "/example.com%5cm/@v/list", 400 },
        { "/example.com/m%00/@v/list", 400 },
        { "/example.com/m/@v/v1.0.0.zip%00.txt", 400 },
        // absolute paths and empty elements
        { "//etc/passwd", 400 },
        { "//example.com/m/@v/list", 400 },
        { "/example.com//m/@v/list", 400 },
        { "/example.com/m/@v/", 400 },
        { "/example.com/m/@v/list/", 400 },
        // invalid percent-escapes and bytes
        { "/example.com/%zz/@v/list", 400 },
        { "/example.com/m%2/@v/list", 400 },
        { "/example.com/m/@v/v1.0.0.zip%", 400 },
        { "/example.com/m/@v/%ff%fe.info", 400 },
        // escaped control bytes and escapes that decode to bytes which are not UTF-8
        { "/example.com/m%01/@v/list", 400 },
        { "/example.com/m%09/@v/list", 400 },
        { "/example.com/m%0a/@v/list", 400 },
        { "/example.com/m%0D%0A/@v/list", 400 },
        { "/example.com/m%1f/@v/list", 400 },
        { "/example.com/m%7f/@v/list", 400 },
        { "/example.com/m/@v/v1.0.0%0a.info", 400 },
        { "/example.com/m%80/@v/list", 400 },
        { "/example.com/m%c0%af/@v/list", 400 },
        { "/example.com/m%ed%a0%80/@v/list", 400 },
        { "/example.com/m%e2%82/@v/list", 400 },
        { "/example.com/m%f8%88%80%80%80/@v/list", 400 },
        // raw control and non-ASCII bytes
        { "/example.com/m\u0000/@v/list", 400 },
        { "/example.com/m/@v/v1.0.0\u0000.info", 400 },
        { "/example.com/m\u0001/@v/list", 400 },
        { "/example.com/m\u007f/@v/list", 400 },
        { "/example.com/m\u00ff/@v/list", 400 },
        { "/example.com/caf\u00c3\u00a9/@v/list", 400 },
        { "/example.com/m b/@v/list", 400 },
        // invalid module-path escapes (go.dev/ref/mod#goproxy-protocol)
        { "/example.com/!!m/@v/list", 400 },
        { "/example.com/M/@v/list", 400 },
        { "/example.com/m!/@v/list", 400 },
        { "/example.com/!1/@v/list", 400 },
        { "/-example.com/m/@v/list", 400 },
        { "/example.com/m/@v/V1.0.0.zip", 400 },
        { "/example.com/m/@v/.zip", 400 },
        // non-canonical or malformed versions for .mod/.zip name nothing
        { "/example.com/m/@v/v1.0.zip", 404 },
        { "/example.com/m/@v/v1.mod", 404 },
        { "/example.com/m/@v/1.0.0.mod", 404 },
        { "/example.com/m/@v/v01.0.0.zip", 404 },
        { "/example.com/m/@v/v1.0.0.0.zip", 404 },
        { "/example.com/m/@v/latest.zip", 404 },
        { "/example.com/m/v2/@v/v1.0.0.mod", 404 },
        // not part of the protocol
        { "/", 404 },
        { "/favicon.ico", 404 },
        { "/@v/list", 404 },
        { "/example.com/m/@v/v1.0.0.tar", 404 },
        { "/example.com/m/@v/list.zip2", 404 },
        // too long
        { "/" + new string('a', 3000) + "/@v/list", 414 },
        { "/" + new string('a', 20_000) + "/@v/list", 414 }, // past Kestrel's 8 KiB request line: the hot path says why
    };
}
