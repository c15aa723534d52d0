namespace Moddock.EndToEnd.Tests.Serve.Support;

/// <summary>One module version for the file-layout upstream: its go.mod and source files.</summary>
internal sealed record TestModule(string Path, string Version, string GoMod, IReadOnlyDictionary<string, string> Files, string Time = "2024-01-02T03:04:05Z");
