using Moddock.Proxy;

namespace Moddock.Server.Endpoints;

/// <summary>
/// The one place a resolution outcome becomes an HTTP status. The go command falls through a
/// ',' GOPROXY list only on 404 and 410, so "not found" must never become 5xx and a real
/// failure must never become 404 (go.dev/ref/mod#goproxy-protocol).
/// </summary>
internal static class OutcomeStatus
{
    public static int For(ResolveOutcome outcome) => outcome switch
    {
        ResolveOutcome.Found => StatusCodes.Status200OK,
        ResolveOutcome.NotFound => StatusCodes.Status404NotFound,
        ResolveOutcome.Gone => StatusCodes.Status410Gone,
        ResolveOutcome.BadRequest => StatusCodes.Status400BadRequest,
        ResolveOutcome.UpstreamFailed => StatusCodes.Status502BadGateway,

        // Refused: what upstream sent failed verification (tampered .info, bad zip, checksum
        // mismatch). The fault is the upstream's data, not the client's authority, so 502 rather
        // than 403; both are terminal after ',' and fall through after '|', and the go command
        // prints the text/plain reason in either case.
        ResolveOutcome.Refused => StatusCodes.Status502BadGateway,

        // Unauthorized / Forbidden: an upstream wants credentials Moddock was not given, or refuses Moddock.
        // Relayed as 401 it would be Moddock's own 401 without the WWW-Authenticate RFC 9110 §15.5.2 requires,
        // and either code would point the client at its own credentials (Moddock's client auth answers those
        // itself); it is a terminal upstream failure, so 502 with the upstream's reason.
        ResolveOutcome.Unauthorized => StatusCodes.Status502BadGateway,
        ResolveOutcome.Forbidden => StatusCodes.Status502BadGateway,

        // Moddock's own disk, not the upstream's answer: 507 Insufficient Storage (RFC 4918 §11.5, "unable to store
        // the representation needed to complete the request"), so neither the client nor its operator looks for a
        // broken mirror. Like 502 it is terminal after ',' and falls through after '|'.
        ResolveOutcome.StorageFailed => StatusCodes.Status507InsufficientStorage,
        _ => StatusCodes.Status500InternalServerError,
    };
}
