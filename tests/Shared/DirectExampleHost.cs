namespace Moddock.Testing;

/// <summary>
/// Makes https://example.test/NAME reach the local repository ROOT/NAME, for git run by Moddock and by
/// the go command alike, through git's GIT_CONFIG_COUNT url.insteadOf (no server, no port). Set once per
/// test process; every direct-mode test class creates its repositories under <see cref="Root"/>.
/// </summary>
internal static class DirectExampleHost
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        var root = TestEnvironment.NewTempDir("example-test");
        foreach (var (k, v) in Variables(root))
        {
            Environment.SetEnvironmentVariable(k, v);
        }

        return root;
    });

    public static string Root => LazyRoot.Value;

    public static IReadOnlyDictionary<string, string?> Variables(string root) => new Dictionary<string, string?>
    {
        ["GIT_CONFIG_COUNT"] = "1",
        ["GIT_CONFIG_KEY_0"] = "url.file://" + root + "/.insteadOf",
        ["GIT_CONFIG_VALUE_0"] = "https://example.test/",
    };

    public static string NewRepoDir(string name) => Path.Combine(Root, name);
}
