namespace Moddock.Doctor.Reporting;

/// <summary>What a fix may name: the failing host (with port), the module path, the URL involved, an IP address.</summary>
internal sealed record FixContext(string? Host = null, string? Module = null, string? Url = null, string? Address = null)
{
    public static FixContext None { get; } = new();
}
