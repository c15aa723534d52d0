namespace Moddock.Doctor.Explain;

/// <summary>One failure found in go command output: the line that names its deepest cause.</summary>
internal sealed record Finding(int Line, string Text, string Cause, string? Where, string Fix, string? Host, string? Module);
