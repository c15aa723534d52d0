namespace Moddock.Testing;

/// <summary>
/// The environment of an isolated run of the real go command: its own HOME, GOPATH, module and build caches
/// under one root, the given GOPROXY and GOSUMDB, every private/insecure pattern cleared and no HTTP proxy,
/// so that neither this machine's settings nor another test's cache leak into the run.
/// Callers add or override keys (GOFLAGS, GOINSECURE, git variables) for their case.
/// </summary>
internal static class GoCommandEnvironment
{
    public static Dictionary<string, string?> Isolated(string root, string goproxy, string gosumdb = "off") => new()
    {
        ["HOME"] = Path.Combine(root, "home"),
        ["GOPATH"] = Path.Combine(root, "gopath"),
        ["GOMODCACHE"] = Path.Combine(root, "gopath", "pkg", "mod"),
        ["GOCACHE"] = Path.Combine(root, "gocache"),
        ["GOENV"] = "off",
        ["GO111MODULE"] = "on",
        ["GOFLAGS"] = "-modcacherw",
        ["GOTOOLCHAIN"] = "local",
        ["GOPROXY"] = goproxy,
        ["GOSUMDB"] = gosumdb,
        ["GONOPROXY"] = "",
        ["GOPRIVATE"] = "",
        ["GONOSUMDB"] = "",
        ["GOINSECURE"] = "",
        ["CGO_ENABLED"] = "0",
        ["HTTP_PROXY"] = null,
        ["HTTPS_PROXY"] = null,
        ["http_proxy"] = null,
        ["https_proxy"] = null,
    };
}
