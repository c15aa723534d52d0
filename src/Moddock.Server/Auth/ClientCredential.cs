namespace Moddock.Server.Auth;

/// <summary>A user or token: its name and the hash of its secret ("pbkdf2-sha256$iterations$salt$hash").</summary>
public sealed record ClientCredential(string Name, string SecretHash)
{
    public override string ToString() => Name;
}
