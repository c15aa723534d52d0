namespace Moddock.Modules;

/// <summary>
/// A canonical semantic version as it appears in .info, .mod and .zip requests, go.mod and go.sum:
/// <c>module.CanonicalVersion(v) == v</c>, so <c>v1.2.3</c>, <c>v1.2.3-pre</c> and <c>v2.0.0+incompatible</c>
/// but not <c>v1.2</c> or <c>v1.2.3+meta</c>.
/// </summary>
public readonly record struct ModuleVersion
{
    private readonly string? _value;

    private ModuleVersion(string value) => _value = value;

    public string Value => _value ?? "";

    /// <summary>The case-escaped form used in proxy URLs ("-RC1" → "-!r!c1").</summary>
    public string Escaped => ModuleEscaping.EscapeChecked(Value);

    public bool IsPseudo => PseudoVersion.IsPseudo(Value);

    public bool IsPrerelease => Semver.Prerelease(Value).Length > 0;

    public static bool TryParse(string version, out ModuleVersion result, out ModuleError? error)
    {
        ArgumentNullException.ThrowIfNull(version);
        result = default;
        if (!Semver.IsValid(version))
        {
            error = new ModuleError(ModuleErrorKind.InvalidVersion, ModulePathChecks.InvalidVersion(version, "not a semantic version"));
            return false;
        }

        var canonical = Canonicalize(version);
        if (canonical != version)
        {
            error = new ModuleError(
                ModuleErrorKind.InvalidVersion,
                ModulePathChecks.InvalidVersion(version, $"not a canonical version (want {Text.GoQuote.Quote(canonical)})", PseudoVersion.IsPseudo(version)));
            return false;
        }

        error = null;
        result = new ModuleVersion(version);
        return true;
    }

    /// <summary>module.CanonicalVersion: <see cref="Semver.Canonical"/> that keeps "+incompatible"; "" if invalid.</summary>
    public static string Canonicalize(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var canonical = Semver.Canonical(version);
        return canonical.Length > 0 && Semver.Build(version) == "+incompatible" ? canonical + "+incompatible" : canonical;
    }

    public static ModuleVersion Parse(string version) =>
        TryParse(version, out var result, out var error) ? result : throw new ModuleException(error!);

    public static bool TryUnescape(string escaped, out ModuleVersion result, out ModuleError? error)
    {
        if (ModuleEscaping.TryUnescapeVersion(escaped, out var v, out error))
        {
            return TryParse(v, out result, out error);
        }

        result = default;
        return false;
    }

    public override string ToString() => Value;
}
