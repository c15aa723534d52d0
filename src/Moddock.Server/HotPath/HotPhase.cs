namespace Moddock.Server.HotPath;

/// <summary>What a hot-path connection is doing, which decides what its heartbeat and a shutdown may do to it.</summary>
internal enum HotPhase
{
    /// <summary>Waiting for (the rest of) a request head: keep-alive or request-headers limit.</summary>
    Reading,

    /// <summary>Writing its own response on the socket: the minimum data rate applies.</summary>
    Sending,

    /// <summary>Finished with the connection, or handed it to Kestrel.</summary>
    Done,

    /// <summary>Waiting for Kestrel's answer to a forwarded request: Kestrel's own limits apply.</summary>
    Forwarding,

    /// <summary>Relaying every input byte to Kestrel, which owns the rest of the connection.</summary>
    Relaying,
}
