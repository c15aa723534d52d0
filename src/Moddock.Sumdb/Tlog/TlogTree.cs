namespace Moddock.Sumdb.Tlog;

/// <summary>A tree head: size and root hash (tlog.Tree).</summary>
internal readonly record struct TlogTree(long N, TlogHash Hash);
