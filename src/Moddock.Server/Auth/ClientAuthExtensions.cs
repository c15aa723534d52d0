using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Moddock.Server.Auth;

/// <summary>Wires client authentication into a pipeline: call before the module endpoints are mapped.</summary>
public static class ClientAuthExtensions
{
    public static IApplicationBuilder UseModdockClientAuth(this IApplicationBuilder app, ClientAuthOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        var problems = Validate(options);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("invalid auth configuration:\n" + string.Join('\n', problems));
        }

        var logger = app.ApplicationServices.GetService<ILoggerFactory>()?.CreateLogger<ClientAuthMiddleware>() ?? NullLogger<ClientAuthMiddleware>.Instance;
        var authenticator = new ClientAuthenticator(options, time ?? TimeProvider.System);
        return app.UseMiddleware<ClientAuthMiddleware>(options, authenticator, logger);
    }

    /// <summary>Every problem in the configuration at once, so an operator fixes them in one go.</summary>
    public static IReadOnlyList<string> Validate(ClientAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        foreach (var c in options.Users.Concat(options.Tokens))
        {
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                problems.Add("auth: a user or token has no name");
            }

            if (!ClientSecretHash.IsWellFormed(c.SecretHash))
            {
                problems.Add($"auth: {c.Name}: hash must look like pbkdf2-sha256$ITERATIONS$SALT$HASH (store hashes, never secrets)");
            }
        }

        var names = options.Users.Concat(options.Tokens).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var r in options.Rules)
        {
            if (string.IsNullOrWhiteSpace(r.Pattern))
            {
                problems.Add("auth: a rule has an empty pattern");
            }

            foreach (var a in r.Allow ?? [])
            {
                if (!names.Contains(a))
                {
                    problems.Add($"auth: rule {r.Pattern} allows unknown user or token {a}");
                }
            }
        }

        return problems;
    }
}
