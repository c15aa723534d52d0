using Moddock.Proxy.Sources.Git.Credentials;

namespace Moddock.Proxy.Sources.Git;

/// <summary>The redactor of the credential set in use (it grows when a token is found in the environment).</summary>
internal sealed class SecretRedactorSource(Func<SecretRedactor> current)
{
    public SecretRedactor Current => current();
}
