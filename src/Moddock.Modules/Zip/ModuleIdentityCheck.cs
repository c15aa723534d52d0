namespace Moddock.Modules.Zip;

/// <summary>The module path and version a zip is made or read for: canonical version, valid path, matching major suffix.</summary>
internal static class ModuleIdentityCheck
{
    public static ModuleError? Check(string modulePath, string version)
    {
        ArgumentNullException.ThrowIfNull(modulePath);
        ArgumentNullException.ThrowIfNull(version);

        // module.CanonicalVersion keeps a "+incompatible" build suffix; every other build suffix goes.
        var canonical = Semver.Canonical(version);
        if (canonical.Length > 0 && version.EndsWith("+incompatible", StringComparison.Ordinal) && Semver.Build(version) == "+incompatible")
        {
            canonical += "+incompatible";
        }

        if (canonical != version)
        {
            return new ModuleError(ModuleErrorKind.InvalidVersion, ZipReasons.NotCanonical(version, canonical));
        }

        return ModulePathChecks.Check(modulePath, version);
    }
}
