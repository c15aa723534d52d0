namespace Moddock.Doctor.Probes;

/// <summary>
/// One endpoint to probe layer by layer: a GOPROXY entry, the checksum database, or a repository host.
/// <see cref="RequestPath"/> is the protocol request made at the HTTP layer, relative to <see cref="BaseUrl"/>.
/// The fallback flags say what the go command would do after this entry fails: try the next entry on
/// 404/410 (any later entry), or on any error (a `|` after this entry).
/// </summary>
internal sealed record ProbeTarget(string Label, Uri BaseUrl, string Where, string? RequestPath, string? Module, bool FallsBackOnNotFound = false, bool FallsBackOnAnyError = false);
