namespace Moddock.Server.Routing;

/// <summary>Why a request target names no module artifact: the status to answer and the reason for the body.</summary>
internal sealed record TargetRejection(int StatusCode, string Reason);
