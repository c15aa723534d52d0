using Moddock.Sumdb.PrivateLog;

namespace Moddock.Sumdb;

/// <summary>The checksum-database parts built from <see cref="SumdbOptions"/>.</summary>
/// <param name="Verifier">
/// The one to hand the proxy (with its own skip predicate set to never): public paths are checked against
/// the public database, --nosumdb paths are logged/checked in the private log (or skipped without one).
/// </param>
/// <param name="PublicVerifier">Verifies public modules before they are cached; null when --sumdb off.</param>
/// <param name="PrivateLog">Logs and verifies private modules; null without --private-sumdb-key.</param>
/// <param name="Endpoint">Serves /sumdb/{name}/{**rest} for the public database and the private log.</param>
/// <param name="DatabaseName">The public database's name (e.g. sum.golang.org), or null when off.</param>
public sealed record SumdbComponents(IChecksumVerifier Verifier, IChecksumVerifier? PublicVerifier, PrivateChecksumLog? PrivateLog, ISumdbEndpoint Endpoint, string? DatabaseName);
