namespace Moddock.Server.Tests.Routing;

/// <summary>Request targets that name no artifact, and the status each must get (never 500).</summary>
internal static class BadRequestCorpus
{
    public static bool RejectedByKestrel(string target) => target.Contains("%00", StringComparison.Ordinal);

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
    };
}
