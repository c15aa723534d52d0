namespace Moddock.Server.HotPath;

/// <summary>How a request forwarded to Kestrel (<see cref="KestrelEpisode.ForwardAsync"/>) ended.</summary>
internal enum ForwardOutcome
{
    /// <summary>Kestrel's whole response is on the socket and the connection stays open.</summary>
    Answered,

    /// <summary>Kestrel's whole response is on the socket, and it said "Connection: close".</summary>
    AnsweredClose,

    /// <summary>Kestrel ended its side (a 400, shutdown, an abort, the client gone): the connection ends.</summary>
    Ended,
}
