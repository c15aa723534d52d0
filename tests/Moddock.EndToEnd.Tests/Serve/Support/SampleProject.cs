using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve.Support;

/// <summary>
/// A small multi-module graph: example.com/app imports greet (which imports words) and
/// example.com/Upper/v2 (an upper-case path, so it travels escaped as !upper).
/// </summary>
internal static class SampleProject
{
    public static readonly TestModule Words = new("example.com/words", "v1.0.0", "module example.com/words\n\ngo 1.18\n",
        new Dictionary<string, string> { ["words.go"] = "package words\n\nconst Hi = \"hello\"\n" });

    public static readonly TestModule Greet10 = new("example.com/greet", "v1.0.0", "module example.com/greet\n\ngo 1.18\n",
        new Dictionary<string, string> { ["greet.go"] = "package greet\n\nfunc Hello() string { return \"hi\" }\n" }, "2024-01-01T00:00:00Z");

    public static readonly TestModule Greet11 = new("example.com/greet", "v1.1.0", "module example.com/greet\n\ngo 1.18\n\nrequire example.com/words v1.0.0\n",
        new Dictionary<string, string> { ["greet.go"] = "package greet\n\nimport \"example.com/words\"\n\nfunc Hello() string { return words.Hi }\n" });

    public static readonly TestModule Upper = new("example.com/Upper/v2", "v2.0.0", "module example.com/Upper/v2\n\ngo 1.18\n",
        new Dictionary<string, string> { ["upper.go"] = "package upper\n\nconst Name = \"world\"\n" });

    public static IReadOnlyList<TestModule> Modules => [Words, Greet10, Greet11, Upper];

    /// <summary>Writes the app's main module; returns its directory.</summary>
    public static string WriteApp()
    {
        var dir = TestEnvironment.NewTempDir("app");
        File.WriteAllText(Path.Combine(dir, "go.mod"), """
            module example.com/app

            go 1.18

            require (
            	example.com/Upper/v2 v2.0.0
            	example.com/greet v1.1.0
            	example.com/words v1.0.0
            )
            """);
        File.WriteAllText(Path.Combine(dir, "main.go"), """
            package main

            import (
            	"fmt"

            	upper "example.com/Upper/v2"
            	"example.com/greet"
            )

            func main() { fmt.Println(greet.Hello(), upper.Name) }
            """);
        return dir;
    }
}
