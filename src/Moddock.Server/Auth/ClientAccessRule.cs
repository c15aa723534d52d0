namespace Moddock.Server.Auth;

/// <summary>
/// Who may fetch modules matching Pattern (GOPRIVATE glob syntax, e.g. "git.corp.example/*").
/// RequireAuthentication false leaves matching paths open; Allow, when not empty, limits access to
/// those user/token names.
/// </summary>
public sealed record ClientAccessRule(string Pattern, bool RequireAuthentication = true, IReadOnlyList<string>? Allow = null);
